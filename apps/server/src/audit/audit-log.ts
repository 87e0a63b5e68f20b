/**
 * The audit writer shared by the server and the CLI: each entry goes to `nf_audit_log` and, as one
 * JSON line, to a file (`$NFLAB_HOME/audit.jsonl`).
 *
 * Failure policy: writing the audit log never fails the action it records. The action has already
 * happened (committed) when it is audited, so answering 500 would only make the client retry a
 * done action; instead the failure is reported through `onError` (the server log, the CLI's
 * stderr) with the entry, and the two destinations are written independently, so a database
 * outage still leaves the entry in the file and a full disk still leaves it in the table.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { insertAuditEntry, type NewAuditEntry, type Queryable } from '@nflab/store';

/** Writes audit entries; never throws. */
export interface AuditLog {
  /** Records one entry in the table and the file; failures go to the log's `onError`. */
  record(entry: NewAuditEntry): Promise<void>;
}

/** Options of {@link createAuditLog}. */
export interface AuditLogOptions {
  readonly db: Queryable;
  /** The JSON-lines file, or false for the table alone. */
  readonly file: string | false;
  /** Told about every entry that could not be written, and where. */
  readonly onError: (error: unknown, entry: NewAuditEntry, destination: 'table' | 'file') => void;
}

/** The audit file inside a lab home folder. */
export const auditFileIn = (home: string): string => resolve(join(home, 'audit.jsonl'));

/** Creates the writer. */
export const createAuditLog = (options: AuditLogOptions): AuditLog => ({
  async record(entry) {
    let at = new Date();
    try {
      at = (await insertAuditEntry(options.db, entry)).at;
    } catch (error) {
      options.onError(error, entry, 'table');
    }
    if (options.file === false) return;
    const line = {
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      client_address: entry.clientAddress ?? null,
      outcome: entry.outcome ?? 'success',
      details: entry.details ?? {},
    };
    try {
      await mkdir(dirname(options.file), { recursive: true });
      // One appendFile per line: O_APPEND writes of a short line do not interleave with others.
      await appendFile(options.file, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      options.onError(error, entry, 'file');
    }
  },
});
