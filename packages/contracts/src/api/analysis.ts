/**
 * Schemas of the analysis routes: a sweep's leaderboard (`GET /api/sweeps/:id/leaderboard`) and the
 * statistical comparison of runs (`POST /api/analysis/compare`). The results are computed by
 * @nflab/analysis; these schemas describe what the web app reads of them (other fields pass through).
 */
import { z } from 'zod';
import { METRIC_IDS } from '../metrics.js';
import { uuidSchema } from './common.js';

/** Multiple-testing corrections, by their short names: Holm, Bonferroni, Benjamini–Hochberg, Benjamini–Yekutieli. */
export const P_ADJUST_METHODS = ['holm', 'bonferroni', 'bh', 'by'] as const;
/** One of {@link P_ADJUST_METHODS}. */
export type PAdjustMethod = (typeof P_ADJUST_METHODS)[number];

/** The most runs one comparison reads. */
export const COMPARE_MAX_RUNS = 200;
/** The most bootstrap resamples a comparison request may ask for (each is a pass over all points, per pair). */
export const COMPARE_MAX_RESAMPLES = 20_000;

const alphaSchema = z.coerce.number().gt(0).lt(1).default(0.05);

/** `GET /api/sweeps/:id/leaderboard` query. */
export const leaderboardQuerySchema = z
  .object({
    metric: z.enum(METRIC_IDS).default('mae'),
    correction: z.enum(P_ADJUST_METHODS).default('holm'),
    alpha: alphaSchema,
  })
  .strict();

const nullableNumber = z.number().nullable();

/** A ranked run or baseline. */
export const leaderboardRowSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('run'),
      runId: uuidSchema,
      label: z.string(),
      rank: z.number().int(),
      value: z.number(),
      source: z.enum(['test', 'cv']),
      points: nullableNumber,
      bestBaseline: z.string().nullable(),
      bestBaselineValue: nullableNumber,
      pValue: nullableNumber,
      adjustedPValue: nullableNumber,
      beatsChance: z.boolean(),
    })
    .passthrough(),
  z.object({ kind: z.literal('baseline'), baseline: z.string(), rank: z.number().int(), value: z.number() }),
]);

/** `GET /api/sweeps/:id/leaderboard` response. */
export const leaderboardResponseSchema = z
  .object({
    metric: z.enum(METRIC_IDS),
    correction: z.enum(P_ADJUST_METHODS),
    alpha: z.number(),
    configurations: z.number().int(),
    ranked: z.number().int(),
    rows: z.array(leaderboardRowSchema),
    unranked: z.array(z.object({ runId: uuidSchema, label: z.string(), reason: z.string() })),
    verdict: z.object({ beatsChance: z.boolean(), text: z.string() }),
  })
  .passthrough();
/** A sweep's leaderboard. */
export type LeaderboardDto = z.infer<typeof leaderboardResponseSchema>;

/** `POST /api/analysis/compare` body: the runs (listed, or a sweep's) and the test settings. */
export const compareRunsRequestSchema = z
  .object({
    run_ids: z
      .array(uuidSchema)
      .min(2)
      .max(COMPARE_MAX_RUNS)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'list each run once' })
      .optional(),
    sweep_id: uuidSchema.optional(),
    loss: z.enum(['absolute', 'squared']).default('absolute'),
    correction: z.enum(P_ADJUST_METHODS).default('holm'),
    alpha: alphaSchema,
    resamples: z.number().int().min(1).max(COMPARE_MAX_RESAMPLES).default(2000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0),
  })
  .strict()
  .refine((body) => (body.run_ids === undefined) !== (body.sweep_id === undefined), {
    message: 'give either run_ids (2 or more runs) or sweep_id, not both',
    path: ['run_ids'],
  });
/** A comparison request as written. */
export type CompareRunsRequest = z.input<typeof compareRunsRequestSchema>;
/** A parsed comparison request (defaults filled). */
export type CompareRunsSettings = z.output<typeof compareRunsRequestSchema>;

const testSchema = z.object({ statistic: nullableNumber, pValue: nullableNumber }).passthrough();
const effectSchema = z.object({ value: nullableNumber, magnitude: z.string().nullable() });

/** The part of a comparison the web app shows (the full result passes through). */
export const runComparisonSchema = z
  .object({
    loss: z.enum(['absolute', 'squared']),
    correction: z.enum(P_ADJUST_METHODS),
    alpha: z.number(),
    points: z.number().int(),
    series: z.number().int(),
    h: z.number().int(),
    dropped: z.array(
      z.object({ runId: z.string(), notShared: z.number().int(), missingValues: z.number().int() }),
    ),
    runs: z.array(
      z.object({ runId: z.string(), label: z.string(), meanLoss: z.number(), meanRank: nullableNumber }),
    ),
    best: z.string(),
    pairs: z.array(
      z
        .object({
          a: z.string(),
          b: z.string(),
          dieboldMariano: testSchema.nullable(),
          tTest: testSchema,
          wilcoxon: testSchema,
          effectSizes: z.object({ cohensDz: effectSchema, cliffsDelta: effectSchema }).passthrough(),
          difference: z
            .object({ estimate: z.number(), lower: nullableNumber, upper: nullableNumber })
            .passthrough(),
          adjusted: z.object({
            dieboldMariano: nullableNumber,
            tTest: nullableNumber,
            wilcoxon: nullableNumber,
          }),
        })
        .passthrough(),
    ),
    many: z
      .object({
        friedman: testSchema.extend({ kendallsW: nullableNumber }),
        criticalDifference: z
          .object({
            criticalDifference: z.number(),
            models: z.array(z.object({ label: z.string(), meanRank: z.number() })),
            cliques: z.array(z.object({ members: z.array(z.string()), from: z.number(), to: z.number() })),
          })
          .passthrough(),
        anova: z
          .object({ statistic: nullableNumber.optional(), pValue: nullableNumber.optional() })
          .passthrough(),
        kruskalWallis: z
          .object({ statistic: nullableNumber.optional(), pValue: nullableNumber.optional() })
          .passthrough(),
      })
      .passthrough()
      .nullable(),
  })
  .passthrough();

/** `POST /api/analysis/compare` response: the stored analysis and whether it was read back. */
const exogenousColumnsSchema = z.object({
  futr: z.array(z.string()),
  hist: z.array(z.string()),
  stat: z.array(z.string()),
});

/**
 * Two compared runs whose models read different exogenous columns: the columns each read that the
 * other did not, and the other spec fields in which they differ (none: the pair's tests are the
 * effect of those columns).
 */
export const exogenousDifferenceSchema = z.object({
  runs: z.array(z.object({ runId: z.string(), label: z.string(), only: exogenousColumnsSchema })),
  otherDifferences: z.array(z.string()),
});

export const compareRunsResponseSchema = z.object({
  analysisId: z.number().int(),
  cached: z.boolean(),
  comparison: runComparisonSchema,
  /** Set for two runs that read different exogenous columns (see {@link exogenousDifferenceSchema}). */
  exogenous: exogenousDifferenceSchema.nullable(),
});
/** A comparison as the API returns it. */
export type CompareRunsDto = z.infer<typeof compareRunsResponseSchema>;

/** Largest lag an exogenous analysis accepts (a year of weekly draws), as @nflab/analysis's limit. */
export const EXOGENOUS_MAX_LAG = 52;

const columnName = z.string().regex(/^(hist|futr)_[a-z0-9_]{1,60}$/, {
  message: 'use a hist_ or futr_ column name (lowercase letters, digits and _)',
});

/** `POST /api/data/tables/:table/exogenous` body: the game, optionally series and columns, and the lags. */
export const exogenousAnalysisRequestSchema = z
  .object({
    loto: z.string().min(1).max(64),
    unique_ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional(),
    columns: z.array(columnName).min(1).max(200).optional(),
    cross_correlation_max_lag: z.number().int().min(0).max(EXOGENOUS_MAX_LAG).default(10),
    granger_max_lag: z.number().int().min(1).max(EXOGENOUS_MAX_LAG).default(4),
    granger_criterion: z.enum(['aic', 'bic']).default('aic'),
  })
  .strict();
/** An exogenous analysis request as written. */
export type ExogenousAnalysisRequest = z.input<typeof exogenousAnalysisRequestSchema>;

const adjustedSchema = z.object({ holm: nullableNumber, bh: nullableNumber });
const correlationSchema = z
  .object({ coefficient: nullableNumber, pValue: nullableNumber, reason: z.string().nullable() })
  .passthrough();

/** One (series, column) pair as the web app reads it (the full result passes through). */
export const exogenousPairSchema = z
  .object({
    uniqueId: z.string(),
    column: z.string(),
    n: z.number().int(),
    pearson: correlationSchema,
    spearman: correlationSchema,
    kendall: correlationSchema,
    mutualInformation: z.object({ value: nullableNumber }).passthrough(),
    granger: z
      .object({
        selected: z
          .object({
            lag: z.number().int(),
            ssrFTest: z
              .object({ statistic: nullableNumber, pValue: nullableNumber })
              .passthrough()
              .nullable(),
          })
          .passthrough()
          .nullable(),
      })
      .passthrough(),
    adjusted: z.object({
      pearson: adjustedSchema,
      spearman: adjustedSchema,
      kendall: adjustedSchema,
      crossCorrelation: adjustedSchema,
      granger: adjustedSchema,
    }),
  })
  .passthrough();

/** `POST /api/data/tables/:table/exogenous` response. */
export const exogenousAnalysisResponseSchema = z.object({
  analysisId: z.number().int(),
  cached: z.boolean(),
  analysis: z
    .object({
      table: z.string(),
      loto: z.string(),
      series: z.array(z.string()),
      columns: z.array(z.string()),
      droppedRows: z.record(z.string(), z.number().int()),
      pairs: z.array(exogenousPairSchema),
      testCounts: z.record(z.string(), z.number().int()),
    })
    .passthrough(),
});
/** An exogenous analysis as the API returns it. */
export type ExogenousAnalysisDto = z.infer<typeof exogenousAnalysisResponseSchema>;
