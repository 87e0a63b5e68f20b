/**
 * What a run's fitted model weighed (nf_model_interpretation): TFT's selection and attention
 * weights, written inside the transaction that finishes the run and read whole by the run detail.
 */
import type { Queryable } from '../db.js';
import type { ModelInterpretationRow } from '../schema/tables.js';

/** One run's interpretation to store. */
export type NewModelInterpretation = Pick<ModelInterpretationRow, 'model' | 'windows' | 'weights'>;

/**
 * Records (or replaces) a run's interpretation. Values must be finite, as JSON holds no NaN or
 * Infinity; a retried attempt's row is cleared at claim, so replacing only matters to callers that
 * record twice within one attempt.
 */
export const recordModelInterpretation = async (
  tx: Queryable,
  runId: string,
  interpretation: NewModelInterpretation,
): Promise<void> => {
  await tx.query(
    `INSERT INTO nf_model_interpretation (run_id, model, windows, weights) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (run_id) DO UPDATE
       SET model = EXCLUDED.model, windows = EXCLUDED.windows, weights = EXCLUDED.weights, created_at = now()`,
    [runId, interpretation.model, interpretation.windows, JSON.stringify(interpretation.weights)],
  );
};

/** A run's interpretation, or null when its model reported none. */
export const getModelInterpretation = async (
  db: Queryable,
  runId: string,
): Promise<ModelInterpretationRow | null> => {
  const { rows } = await db.query<ModelInterpretationRow>(
    'SELECT run_id, model, windows, weights, created_at FROM nf_model_interpretation WHERE run_id = $1',
    [runId],
  );
  return rows[0] ?? null;
};
