/** Audit entries for what CLI commands change: the same table and `audit.jsonl` the server writes. */
import { hostname, userInfo } from 'node:os';
import type { AuditAction } from '@nflab/contracts';
import { auditFileIn, createAuditLog } from '@nflab/server';
import type { Queryable } from '@nflab/store';
import type { CommandContext } from './context.js';

/** What a command did. */
export interface CliAuditEvent {
  readonly action: AuditAction;
  readonly entity: string;
  readonly entityId?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

// No sign-in on the CLI: whoever can run it on this machine with the database's credentials acts,
// so the operating-system account is the honest "who".
/** The operating-system user running the CLI (the actor of its audit entries). */
export const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
};

/**
 * Records `event` as `cli:<os user>` (no client address; the machine's host name in details).
 * Never throws: a command that did its work is not failed by its audit entry; the problem is
 * printed on stderr instead.
 */
export const auditCli = (ctx: CommandContext, db: Queryable, event: CliAuditEvent): Promise<void> =>
  createAuditLog({
    db,
    file: auditFileIn(ctx.home),
    onError: (error, _entry, destination) =>
      process.stderr.write(
        `warning: audit entry ${event.action} not written to the ${destination === 'table' ? 'nf_audit_log table' : 'audit.jsonl file'}: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  }).record({
    actor: `cli:${osUser()}`,
    action: event.action,
    entity: event.entity,
    entityId: event.entityId ?? null,
    clientAddress: null,
    details: { ...event.details, via: 'cli', host: hostname() },
  });
