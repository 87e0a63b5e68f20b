/**
 * The audit log's vocabulary (one list of actions the server, the CLI filter and the UI all read)
 * and the schemas of `GET /api/audit`.
 */
import { z } from 'zod';
import { isoDateTime } from './common.js';

/**
 * Every security-relevant event the lab records, `<what>.<verb>`. Persisted as these strings in
 * `nf_audit_log.action`; add new ones at the end and never rename one (old rows keep the old name).
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.lockout',
  'user.create',
  'user.update',
  'token.create',
  'token.revoke',
  'run.start',
  'run.cancel',
  'run.predict',
  'run.refit',
  'run.cv',
  'model.promote',
  'sweep.start',
  'sweep.cancel',
  'sweep.resume',
  'artifact.download',
  'data.import',
  'access.denied',
  'run.importance',
  'run.ensemble',
  // A request to /metrics without the scrape token (recorded only when refused).
  'metrics.scrape',
  'data.drift_check',
  'run.anomalies',
  // Scheduled monitors: defined, removed, and a check that crossed its thresholds (actor `scheduler`).
  'monitor.create',
  'monitor.delete',
  'monitor.alert',
  // A monitor checked now on request (the API's run-now; its alert, if any, is the check's outcome).
  'monitor.run',
  // A run's failed or pending exports to external trackers made due again (W&B, MLflow).
  'run.export_retry',
  'report.create',
  'report.download',
  // The MLflow-compatible API: experiments and external runs MLflow clients create, delete or
  // restore, and artifact files they upload.
  'experiment.create',
  'experiment.delete',
  'experiment.restore',
  'run.create',
  'run.delete',
  'run.restore',
  'artifact.upload',
  // The model registry (entity `registered_model`, id = the model's name; details name the version):
  // a name created, renamed or deleted, a version registered or deleted, a version moved to a
  // stage (details: from, to), an alias pointed at a version or removed.
  'model.create',
  'model.rename',
  'model.delete',
  'model.version_create',
  'model.version_delete',
  'model.stage',
  'model.alias',
  'model.alias_delete',
  // A run's tags set or removed through the lab (details: the keys); MLflow's set-tag is logging.
  'run.tag',
] as const;
/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
/** zod schema of an audit action. */
export const auditActionSchema = z.enum(AUDIT_ACTIONS);

/**
 * How an audited attempt ended: it happened, it was refused for bad credentials or input
 * (`failure`), or it was refused by policy — a role too weak, a lockout (`denied`).
 */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
/** One of {@link AUDIT_OUTCOMES}. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One audit entry as the API and `nflab audit ls --json` return it. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: isoDateTime,
  /** Username of whoever acted (for a failed sign-in: the name that was tried; `cli:<os user>` for CLI commands). */
  actor: z.string(),
  action: z.string(),
  /** Kind of thing acted on: `user`, `token`, `run`, `sweep`, `artifact`, `table`, `session`, `monitor`. */
  entity: z.string(),
  entity_id: z.string().nullable(),
  /** The client's IP address; null for CLI commands. */
  client_address: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  details: z.record(z.string(), z.unknown()),
});
/** One audit entry. */
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

/** The most entries one audit query returns. */
export const MAX_AUDIT_LIMIT = 1000;

/** `GET /api/audit` query (admin), also the filter of `nflab audit ls`. Newest entries first. */
export const auditQuerySchema = z
  .object({
    /** Entries at or after this instant (ISO date or date-time with offset). */
    since: z.iso
      .date()
      .or(z.iso.datetime({ offset: true }))
      // PostgreSQL has no year 0: refuse it here rather than fail in the query.
      .refine((text) => new Date(text).getUTCFullYear() >= 1, {
        message: 'use a date from year 0001 on, e.g. 2026-01-31 or 2026-01-31T09:00:00Z',
      })
      .optional(),
    /** Only this actor (username, exact). */
    user: z.string().min(1).max(128).optional(),
    /** Only this action. */
    action: auditActionSchema.optional(),
    /** @default 100 */
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_LIMIT).default(100),
  })
  .strict();
/** Parsed audit query. */
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** `GET /api/audit` response: matching entries, newest first. */
export const auditResponseSchema = z.object({ items: z.array(auditEntrySchema) });
/** `GET /api/audit` response. */
export type AuditResponseDto = z.infer<typeof auditResponseSchema>;
