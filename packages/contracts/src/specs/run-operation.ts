/**
 * What a run does. Most runs train (`train`, from their spec); the model operations start from a
 * finished run's saved model and are recorded as runs of their own, linked to that parent run, so
 * their predictions, metrics and resources are kept like any other run's. An `ensemble` combines
 * several finished runs' stored forecasts and is linked to each of them.
 */
import { z } from 'zod';
import { ensembleOperationSchema } from './ensemble-operation.js';
import { importanceOperationSchema } from './importance-operation.js';
import { crossValidationFieldSchema } from './run-fields.js';

/** The operation kinds, in the vocabulary of `nflab model <kind>` and the run's `operation` column. */
export const RUN_OPERATION_KINDS = ['train', 'predict', 'refit', 'cv', 'importance', 'ensemble'] as const;
/** One of {@link RUN_OPERATION_KINDS}. */
export type RunOperationKind = (typeof RUN_OPERATION_KINDS)[number];

/** zod schema of a run's operation. */
export const runOperationSchema = z.discriminatedUnion('kind', [
  /** Fit the spec's model (with its search, for an Auto model). */
  z.object({ kind: z.literal('train') }).strict(),
  /**
   * Forecast h steps with the parent's saved model. `latest_data: true` forecasts from the table's
   * current rows (draws added since the parent ran); false from the data the parent was fitted on.
   */
  z.object({ kind: z.literal('predict'), latest_data: z.boolean().default(true) }).strict(),
  /** Refit the parent's (best) configuration on the table's current rows, then forecast. */
  z.object({ kind: z.literal('refit') }).strict(),
  /** Cross-validate the parent's (best) configuration on the table's current rows. */
  z
    .object({
      kind: z.literal('cv'),
      n_windows: crossValidationFieldSchema.shape.n_windows,
      step_size: crossValidationFieldSchema.shape.step_size,
      refit: crossValidationFieldSchema.shape.refit,
    })
    .strict(),
  /** Exogenous-column importance of the parent's saved model over the last windows of the table's rows. */
  importanceOperationSchema,
  /** Combine finished runs' stored forecasts (no model is loaded or fitted). */
  ensembleOperationSchema,
]);

/** A run's operation as written. */
export type RunOperationInput = z.input<typeof runOperationSchema>;
/** A model operation as written: one on a finished run's saved model (not training, not an ensemble). */
export type ModelOperationInput = Exclude<RunOperationInput, { kind: 'train' | 'ensemble' }>;
/** A parsed run operation (defaults filled). */
export type RunOperation = z.output<typeof runOperationSchema>;

/** The operation of a plain training run. */
export const TRAIN_OPERATION: RunOperation = { kind: 'train' };
