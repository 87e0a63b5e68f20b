/** The one call route handlers make to audit what a request did. */
import type { FastifyRequest } from 'fastify';
import type { AuditAction, AuditOutcome } from '@nflab/contracts';

/** What a handler says about an audited event; who and from where come from the request. */
export interface AuditEvent {
  readonly action: AuditAction;
  /** Kind of thing acted on: `user`, `token`, `run`, `sweep`, `artifact`, `session`. */
  readonly entity: string;
  readonly entityId?: string | null;
  /** @default 'success' */
  readonly outcome?: AuditOutcome;
  /** Who acted, when the request has no signed-in user yet (sign-in). @default the signed-in username */
  readonly actor?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Records `event` for `request` (actor, client address, request id — which links the entry to the
 * server log's line). Resolves once written or logged as unwritable; never throws, so an action
 * that succeeded is never answered 500 because its audit entry could not be stored.
 *
 * A refused attempt is recorded before the error is thrown, e.g. a login lockout:
 * `await audit(request, { action: 'auth.lockout', entity: 'user', actor: username, outcome: 'denied' });`
 */
export const audit = (request: FastifyRequest, event: AuditEvent): Promise<void> =>
  request.server.audit.record({
    actor: event.actor ?? request.user?.username ?? 'anonymous',
    action: event.action,
    entity: event.entity,
    entityId: event.entityId ?? null,
    clientAddress: request.ip,
    outcome: event.outcome ?? 'success',
    details: { ...event.details, request_id: request.id },
  });
