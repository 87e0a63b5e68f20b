/**
 * Schemas of the monitor routes (issue 16): scheduled drift checks of a data table defined, listed,
 * shown with their executions, run now and removed over the API, and the limits that keep one
 * monitor (each of its executions is a drift check) and one request cheap.
 */
import { z } from 'zod';
import { TABLE_DRIFT_LIMITS, driftThresholdsSchema, tableDriftResponseSchema } from './drift.js';

/** An execution's outcome: running, then ok (no drift), alert (drift) or error. */
export const MONITOR_RUN_STATUS_IDS = ['running', 'ok', 'alert', 'error'] as const;
/** One of {@link MONITOR_RUN_STATUS_IDS}. */
export type MonitorRunStatusId = (typeof MONITOR_RUN_STATUS_IDS)[number];

/** What monitors may cost: their number, their windows, how often they fire, how much is listed. */
export const MONITOR_LIMITS = {
  /** Most monitors a lab keeps (each runs a drift check on every firing). */
  maxMonitors: 100,
  /** Most draws in a window (current or reference). */
  maxDraws: 5000,
  /** Shortest time between two firings of a schedule, in seconds (a six-field cron can fire every second). */
  minIntervalSeconds: 60,
  /** Most executions one request lists. */
  maxRunsListed: 200,
} as const;

/** A monitor's name: it labels the `nflab_monitor_alerts_total` series, so it is short and plain. */
export const MONITOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const monitorName = z.string().regex(MONITOR_NAME_PATTERN, {
  message: 'use letters, digits, _ . - (at most 63, starting with a letter or digit)',
});

/** `/api/monitors/:name` path. */
export const monitorParamsSchema = z.object({ name: monitorName }).strict();

const draws = (fallback: number) =>
  z
    .number()
    .int({ message: 'use a whole number of draws' })
    .min(2, { message: 'use at least 2 draws' })
    .max(MONITOR_LIMITS.maxDraws, {
      message: `use at most ${MONITOR_LIMITS.maxDraws} draws (MONITOR_LIMITS.maxDraws)`,
    })
    .default(fallback);

/** `POST /api/monitors` body, the API's twin of `nflab monitor add`'s flags. */
export const createMonitorRequestSchema = z
  .object({
    name: monitorName,
    table: z.string().min(1).max(63),
    /** @default the table's only game */
    loto: z.string().min(1).max(64).optional(),
    unique_ids: z.array(z.string().min(1).max(64)).min(1).max(TABLE_DRIFT_LIMITS.maxSeries).optional(),
    /** @default y and every hist_ and futr_ column */
    columns: z
      .array(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'use a column name of the table' }))
      .min(1)
      .max(TABLE_DRIFT_LIMITS.maxColumns)
      .optional(),
    /** When, in UTC: "minute hour day month weekday". */
    cron: z.string().min(1).max(120),
    /** The current window: the last this-many draws at check time. @default 50 */
    current_draws: draws(50),
    /** The reference window: the this-many draws before the current one. @default 200 */
    reference_draws: draws(200),
    thresholds: driftThresholdsSchema.optional(),
    /** On drift, queue a refit of this finished run. */
    retrain_run_id: z.uuid().optional(),
    /** On drift, POST the alert as JSON here. */
    webhook_url: z
      .url({ protocol: /^https?$/, message: 'use an http or https URL' })
      .max(2000)
      .optional(),
  })
  .strict();
/** A monitor definition as written. */
export type CreateMonitorRequest = z.input<typeof createMonitorRequestSchema>;

/** One execution of a monitor. */
export const monitorRunSchema = z.object({
  id: z.number().int(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  status: z.enum(MONITOR_RUN_STATUS_IDS),
  /** The drift check it stored (see `GET /api/data/tables/:table/drift`). */
  check_id: z.string().nullable(),
  /** Series (null for the numbers' uniformity) and column of each drifted test. */
  drifted: z.array(z.object({ unique_id: z.string().nullable(), column: z.string() })),
  error: z.string().nullable(),
  refit_run_id: z.string().nullable(),
});
/** An execution as the API returns it. */
export type MonitorRunDto = z.infer<typeof monitorRunSchema>;

/** A monitor as the API returns it. */
export const monitorSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  table: z.string(),
  loto: z.string(),
  unique_ids: z.array(z.string()).nullable(),
  columns: z.array(z.string()).nullable(),
  cron: z.string(),
  current_draws: z.number().int(),
  reference_draws: z.number().int(),
  thresholds: z.object({ p_value: z.number(), psi: z.number().nullable(), p_adjust: z.string() }),
  retrain_run_id: z.string().nullable(),
  /**
   * Where alerts are POSTed, host only: a webhook's path often is its secret (chat hooks), and
   * viewers read monitors.
   */
  webhook_host: z.string().nullable(),
  enabled: z.boolean(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  last_run_at: z.string().nullable(),
  next_run_at: z.string().nullable(),
  /** Its newest execution, if any. */
  last_run: monitorRunSchema.nullable(),
});
/** A monitor as the API returns it. */
export type MonitorDto = z.infer<typeof monitorSchema>;

/** `GET /api/monitors` response. */
export const listMonitorsResponseSchema = z.object({ items: z.array(monitorSchema) });

/** `GET /api/monitors/:name` response: the monitor, its recent executions and its recent alerts. */
export const monitorDetailSchema = z.object({
  monitor: monitorSchema,
  runs: z.array(monitorRunSchema),
  /** Its executions that alerted, newest first (further back than `runs`). */
  alerts: z.array(monitorRunSchema),
});
/** A monitor with its history. */
export type MonitorDetailDto = z.infer<typeof monitorDetailSchema>;

/** `GET /api/monitors/:name/runs` query. */
export const monitorRunsQuerySchema = z
  .object({
    status: z.enum(MONITOR_RUN_STATUS_IDS).optional(),
    /** @default 50 */
    limit: z.coerce.number().int().min(1).max(MONITOR_LIMITS.maxRunsListed).default(50),
  })
  .strict();

/** `GET /api/monitors/:name/runs` response, newest first. */
export const monitorRunsResponseSchema = z.object({ items: z.array(monitorRunSchema) });

/** `POST /api/monitors/:name/run` response: the recorded execution and the drift check it ran. */
export const runMonitorResponseSchema = z.object({
  run: monitorRunSchema,
  /** null when the check could not run (the execution's error says why). */
  check: tableDriftResponseSchema.nullable(),
});
/** A run-now as the API returns it. */
export type RunMonitorDto = z.infer<typeof runMonitorResponseSchema>;
