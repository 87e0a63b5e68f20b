/**
 * The `ensemble` run operation: a forecast combination of finished runs, recorded as a run of its
 * own (members linked in `nf_ensemble_members`), so it gets metrics, naive baselines and
 * significance tests like any model — and can be compared with its members.
 */
import { z } from 'zod';

/** How members' point forecasts are combined. */
export const ENSEMBLE_METHODS = ['mean', 'median', 'inverse_error'] as const;
/** One of {@link ENSEMBLE_METHODS}. */
export type EnsembleMethod = (typeof ENSEMBLE_METHODS)[number];

/** The error an `inverse_error` ensemble weighs members by (weight ∝ 1 / error). */
export const ENSEMBLE_WEIGHT_METRICS = ['mae', 'mse', 'rmse'] as const;
/** One of {@link ENSEMBLE_WEIGHT_METRICS}. */
export type EnsembleWeightMetric = (typeof ENSEMBLE_WEIGHT_METRICS)[number];

/** Caps on one ensemble request: members are read whole (forecasts and every evaluated row). */
export const ENSEMBLE_LIMITS = {
  minMembers: 2,
  maxMembers: 20,
  /** Most stored rows (forecast and evaluated, all members together) an ensemble reads. */
  maxRows: 2_000_000,
} as const;

/** The options of an ensemble, as in `POST /api/ensembles`. */
export const ensembleOptionsSchema = z
  .object({
    /** The finished runs to combine (same table, game and horizon), each once. */
    members: z
      .array(z.uuid({ message: 'members: each member is a run id (a uuid)' }))
      .min(ENSEMBLE_LIMITS.minMembers, {
        message: `members: an ensemble combines at least ${ENSEMBLE_LIMITS.minMembers} runs`,
      })
      .max(ENSEMBLE_LIMITS.maxMembers, {
        message: `members: an ensemble combines at most ${ENSEMBLE_LIMITS.maxMembers} runs`,
      })
      .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, {
        message: 'members: list each run once',
      }),
    /** mean, median, or inverse-error weighted mean. @default 'mean' */
    method: z.enum(ENSEMBLE_METHODS).default('mean'),
    /**
     * The error `inverse_error` weighs by. Each evaluated window is weighted from errors on points
     * known at its cutoff only (no look-ahead); the forecast from all of them. @default 'mae'
     */
    weight_metric: z.enum(ENSEMBLE_WEIGHT_METRICS).default('mae'),
  })
  .strict();

/** zod schema of the `ensemble` run operation: the options with `kind: 'ensemble'`. */
export const ensembleOperationSchema = ensembleOptionsSchema.extend({ kind: z.literal('ensemble') });

/** An ensemble request as written. */
export type EnsembleOptionsInput = z.input<typeof ensembleOptionsSchema>;
/** A parsed ensemble request (defaults filled). */
export type EnsembleOptions = z.output<typeof ensembleOptionsSchema>;
