/** The audit log's SQL: append an entry, read entries newest first. */
import type { AuditEntryDto, AuditOutcome } from '@nflab/contracts';
import type { Queryable } from '../db.js';
import type { AuditLogRow } from '../schema/tables.js';

/** An entry to append to `nf_audit_log`; `at` is the database's clock. */
export interface NewAuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | null;
  readonly clientAddress?: string | null;
  /** @default 'success' */
  readonly outcome?: AuditOutcome;
  /** @default {} */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Which entries {@link listAuditEntries} returns. */
export interface AuditFilter {
  /** At or after this instant. */
  readonly since?: Date;
  /** Only this actor. */
  readonly actor?: string;
  /** Only this action. */
  readonly action?: string;
  /** At most this many, newest first. */
  readonly limit: number;
}

const COLUMNS = 'id, at, actor, action, entity, entity_id, details, client_address, outcome';

/** Appends one entry and returns it as stored. */
export const insertAuditEntry = async (db: Queryable, entry: NewAuditEntry): Promise<AuditLogRow> => {
  const { rows } = await db.query<AuditLogRow>(
    `INSERT INTO nf_audit_log (actor, action, entity, entity_id, client_address, outcome, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING ${COLUMNS}`,
    [
      entry.actor,
      entry.action,
      entry.entity,
      entry.entityId ?? null,
      entry.clientAddress ?? null,
      entry.outcome ?? 'success',
      JSON.stringify(entry.details ?? {}),
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
};

/** Entries matching `filter`, newest first (ties by id, so equal timestamps keep insertion order). */
export const listAuditEntries = async (db: Queryable, filter: AuditFilter): Promise<AuditLogRow[]> => {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.since !== undefined) add('at >= ?', filter.since);
  if (filter.actor !== undefined) add('actor = ?', filter.actor);
  if (filter.action !== undefined) add('action = ?', filter.action);
  params.push(filter.limit);
  const { rows } = await db.query<AuditLogRow>(
    `SELECT ${COLUMNS} FROM nf_audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows;
};

/** A row as the API and the CLI's `--json` show it (ISO time; details are always an object here). */
export const auditEntryDto = (row: AuditLogRow): AuditEntryDto => ({
  ...row,
  at: row.at.toISOString(),
  details:
    row.details !== null && typeof row.details === 'object' ? (row.details as Record<string, unknown>) : {},
});
