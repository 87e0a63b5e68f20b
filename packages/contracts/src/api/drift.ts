/**
 * Schemas of the drift routes (issue 16): a data table's drift check between a reference and a
 * current window (`POST`/`GET /api/data/tables/:table/drift`), and the limits that keep one request
 * cheap.
 */
import { z } from 'zod';
import { P_ADJUST_METHODS } from './analysis.js';

/**
 * What one drift check may cost. Every (series, column) pair is one test over both windows' rows,
 * so the pairs and the windows' spans bound the work; a request past them is refused before any
 * data is read (spans, asked series and columns) or once the table says what "all" means (pairs).
 */
export const TABLE_DRIFT_LIMITS = {
  /** Most (series, column) tests in one check (e.g. 40 series × 50 columns). */
  maxTests: 2000,
  /** Most series a request may name. */
  maxSeries: 200,
  /** Most columns a request may name. */
  maxColumns: 50,
  /** Longest window in days, inclusive: 25 years (a daily table's window then holds ≤ 9,131 rows a series). */
  maxWindowDays: 9131,
} as const;

const DAY_MS = 86_400_000;
const isoDay = z.iso.date();

/** An inclusive window of ISO days. */
export const driftWindowSchema = z.object({ from: isoDay, to: isoDay }).strict();
/** A drift window. */
export type DriftWindowDto = z.infer<typeof driftWindowSchema>;

const columnName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, {
  message: 'use a column name of the table (lowercase letters, digits and _)',
});

const windowDays = (w: DriftWindowDto): number => (Date.parse(w.to) - Date.parse(w.from)) / DAY_MS + 1;

/** When a test counts as drifted (a drift check's and a monitor's thresholds). */
export const driftThresholdsSchema = z
  .object({
    /** A test drifts below this corrected p-value. @default 0.01 */
    p_value: z.number().gt(0).lt(1).optional(),
    /** And only when its PSI is at least this. @default no PSI condition */
    psi: z.number().positive().finite().optional(),
    /** @default 'holm' */
    p_adjust: z.enum(P_ADJUST_METHODS).optional(),
  })
  .strict();

/** `POST /api/data/tables/:table/drift` body: the game, optionally series and columns, both windows, thresholds. */
export const tableDriftRequestSchema = z
  .object({
    loto: z.string().min(1).max(64),
    unique_ids: z.array(z.string().min(1).max(64)).min(1).max(TABLE_DRIFT_LIMITS.maxSeries).optional(),
    reference: driftWindowSchema,
    current: driftWindowSchema,
    /** `y` and numeric columns; default: y and every hist_ and futr_ column. */
    columns: z.array(columnName).min(1).max(TABLE_DRIFT_LIMITS.maxColumns).optional(),
    thresholds: driftThresholdsSchema.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const label of ['reference', 'current'] as const) {
      const window = body[label];
      if (window.from > window.to) {
        ctx.addIssue({
          code: 'custom',
          path: [label, 'to'],
          message: `${label}.to ${window.to} is before ${label}.from ${window.from}`,
        });
      } else if (windowDays(window) > TABLE_DRIFT_LIMITS.maxWindowDays) {
        ctx.addIssue({
          code: 'custom',
          path: [label],
          message: `a window spans at most ${TABLE_DRIFT_LIMITS.maxWindowDays} days (TABLE_DRIFT_LIMITS.maxWindowDays), got ${windowDays(window)}`,
        });
      }
    }
    // Drift is measured from the past to the present: a reference that does not end before the
    // current window starts is either overlapping (hiding the change) or reversed.
    if (body.reference.to >= body.current.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['reference'],
        message: `the reference window must end before the current window starts (reference ${body.reference.from}..${body.reference.to}, current ${body.current.from}..${body.current.to})`,
      });
    }
  });
/** A drift check request as written. */
export type TableDriftRequest = z.input<typeof tableDriftRequestSchema>;

const driftedSchema = z.object({ uniqueId: z.string().nullable(), column: z.string() });

/** `POST /api/data/tables/:table/drift` response: the stored check's summary (statistics pass through). */
export const tableDriftResponseSchema = z
  .object({
    checkId: z.uuid(),
    table: z.string(),
    loto: z.string(),
    reference: driftWindowSchema,
    current: driftWindowSchema,
    thresholds: z.object({
      pValue: z.number(),
      psi: z.number().nullable(),
      pAdjust: z.enum(P_ADJUST_METHODS),
    }),
    columns: z.array(
      z
        .object({
          uniqueId: z.string(),
          column: z.string(),
          kind: z.string(),
          pValue: z.number(),
          adjustedPValue: z.number(),
          psi: z.number(),
          drifted: z.boolean(),
        })
        .passthrough(),
    ),
    uniformity: z.object({ adjustedPValue: z.number(), drifted: z.boolean() }).passthrough().nullable(),
    drifted: z.array(driftedSchema),
    skipped: z.array(driftedSchema.extend({ reason: z.string() })),
  })
  .passthrough();
/** A drift check as the API returns it. */
export type TableDriftDto = z.infer<typeof tableDriftResponseSchema>;

/** `GET /api/data/tables/:table/drift` query: one game, or every game of the table. */
export const tableDriftQuerySchema = z.object({ loto: z.string().min(1).max(64).optional() }).strict();

/** One statistic of a stored check (`unique_id` null for a test over all series, e.g. `numbers`). */
export const driftMetricSchema = z.object({
  unique_id: z.string().nullable(),
  feature: z.string(),
  metric: z.string(),
  value: z.number(),
  p_value: z.number().nullable(),
  threshold: z.number().nullable(),
  drifted: z.boolean().nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** The newest stored check of one table and game. */
export const storedDriftCheckSchema = z.object({
  check_id: z.string(),
  table: z.string(),
  loto: z.string(),
  at: z.string(),
  reference: driftWindowSchema,
  current: driftWindowSchema,
  /** How many of its rows drifted. */
  drifted: z.number().int(),
  metrics: z.array(driftMetricSchema),
});

/** `GET /api/data/tables/:table/drift` response: the newest check of each game (of the asked one). */
export const tableDriftChecksResponseSchema = z.object({ checks: z.array(storedDriftCheckSchema) });
/** Stored drift checks as the API returns them. */
export type TableDriftChecksDto = z.infer<typeof tableDriftChecksResponseSchema>;

/**
 * The residual-anomaly detectors' ids, as stored in nf_residual_anomalies.method (@nflab/analysis's
 * ANOMALY_DETECTORS is keyed by these).
 */
export const ANOMALY_METHODS = ['zscore', 'mad', 'cusum', 'iqr'] as const;
/** One of {@link ANOMALY_METHODS}. */
export type AnomalyMethod = (typeof ANOMALY_METHODS)[number];

/** Where the detectors' location and scale come from: each series' first half of residuals, or all of them. */
export const ANOMALY_REFERENCES = ['first_half', 'self'] as const;
/** One of {@link ANOMALY_REFERENCES}. */
export type AnomalyReference = (typeof ANOMALY_REFERENCES)[number];

/** What one anomaly detection may read: a run's evaluated points (cross-validation or test rows). */
export const RUN_ANOMALY_LIMITS = {
  /** Most evaluated points (series × cutoffs × horizon steps) one detection reads. */
  maxPoints: 200_000,
} as const;

// Which detector reads which option: a number given to a detector that ignores it is refused, so a
// caller never believes a setting took effect when it did not.
const OPTION_METHODS = {
  threshold: ['zscore', 'mad'],
  k: ['cusum', 'iqr'],
  h: ['cusum'],
} as const satisfies Record<string, readonly AnomalyMethod[]>;

/** `POST /api/runs/:id/anomalies` body, also `nflab model anomalies`'s options. */
export const runAnomaliesRequestSchema = z
  .object({
    method: z.enum(ANOMALY_METHODS),
    /** @default 'first_half' */
    reference: z.enum(ANOMALY_REFERENCES).default('first_half'),
    /** zscore (default 3) and mad (default 3.5): |z| above this is flagged. */
    threshold: z.number().positive().finite().optional(),
    /** cusum: slack in σ (default 0.5); iqr: fence distance in IQRs (default 1.5). */
    k: z.number().nonnegative().finite().optional(),
    /** cusum: decision interval in σ (default 5). */
    h: z.number().positive().finite().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const [key, methods] of Object.entries(OPTION_METHODS)) {
      if (body[key as keyof typeof OPTION_METHODS] === undefined) continue;
      if (!(methods as readonly string[]).includes(body.method)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} applies to ${methods.join(' and ')}, not to ${body.method}`,
        });
      }
    }
  });
/** An anomaly detection request as written. */
export type RunAnomaliesRequest = z.input<typeof runAnomaliesRequestSchema>;

/** One stored flagged residual (residual = actual − forecast). */
export const residualAnomalySchema = z.object({
  unique_id: z.string(),
  ds: z.string(),
  model: z.string().nullable(),
  residual: z.number(),
  score: z.number(),
  method: z.string(),
  threshold: z.number().nullable(),
});

/** `POST /api/runs/:id/anomalies` response: each scored series, the flagged points, what was skipped. */
export const runAnomaliesResponseSchema = z.object({
  runId: z.string(),
  method: z.enum(ANOMALY_METHODS),
  reference: z.enum(ANOMALY_REFERENCES),
  series: z.array(
    z.object({
      uniqueId: z.string(),
      model: z.string(),
      points: z.number().int(),
      referencePoints: z.number().int(),
      center: z.number(),
      scale: z.number(),
      threshold: z.number(),
      flagged: z.number().int(),
    }),
  ),
  anomalies: z.array(residualAnomalySchema),
  skipped: z.array(z.object({ uniqueId: z.string(), model: z.string(), reason: z.string() })),
});
/** An anomaly detection as the API returns it. */
export type RunAnomaliesDto = z.infer<typeof runAnomaliesResponseSchema>;

/** `GET /api/runs/:id/anomalies` query. */
export const runAnomalyListQuerySchema = z.object({ method: z.enum(ANOMALY_METHODS).optional() }).strict();

/** `GET /api/runs/:id/anomalies` response: by series, day and method. */
export const runAnomalyListResponseSchema = z.object({
  items: z.array(residualAnomalySchema.extend({ created_at: z.string() })),
});
