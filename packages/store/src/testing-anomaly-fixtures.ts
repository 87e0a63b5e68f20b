/**
 * A finished run whose cross-validation residuals hold one known anomaly, for the runner, server
 * and CLI tests of residual-anomaly detection.
 */
import type { Queryable } from './db.js';
import { insertCvResultRows } from './repos/run-outputs.js';

/** Days of the fixture's residual series (2024-01-01 onward). */
export const RESIDUAL_RUN_DAYS = 60;
/** Index of the anomalous day of N1 (in the second half: scored against the first half). */
export const RESIDUAL_SPIKE_INDEX = 50;
/** The anomalous residual of N1 (the bounded noise stays within ±0.5). */
export const RESIDUAL_SPIKE = 8;

/** ISO day `i` days after 2024-01-01. */
export const residualRunDay = (i: number): string =>
  new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);

/**
 * Writes an AutoMLP run (status `finished` unless told) with cross-validation rows over
 * {@link RESIDUAL_RUN_DAYS} days in windows of 5: N1's residuals are bounded noise but
 * {@link RESIDUAL_SPIKE} on day {@link RESIDUAL_SPIKE_INDEX} (which an earlier cutoff also
 * forecast, with a small error); N2 is noise only; N3's residuals are constant (no spread).
 */
export const seedResidualRun = async (db: Queryable, status = 'finished'): Promise<string> => {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (model_name, status) VALUES ('AutoMLP', $1) RETURNING id`,
    [status],
  );
  const id = rows[0]?.id as string;
  const residual = (series: string, i: number): number => {
    if (series === 'N3') return 1;
    if (series === 'N1' && i === RESIDUAL_SPIKE_INDEX) return RESIDUAL_SPIKE;
    return 0.5 * Math.sin(i * (series === 'N1' ? 2.3 : 1.1));
  };
  const point = (series: string, i: number, cutoff: number, error: number) => {
    const y = 10 + Math.cos(i);
    return {
      unique_id: series,
      ds: residualRunDay(i),
      step: null,
      cutoff: residualRunDay(cutoff),
      cutoff_step: null,
      y,
      suffix: '',
      value: y - error,
    };
  };
  const points = ['N1', 'N2', 'N3'].flatMap((series) =>
    Array.from({ length: RESIDUAL_RUN_DAYS }, (_, i) =>
      point(series, i, i - (i % 5) - 1, residual(series, i)),
    ),
  );
  // An earlier window also forecast the anomalous day, farther ahead and close to the actual.
  points.push(point('N1', RESIDUAL_SPIKE_INDEX, RESIDUAL_SPIKE_INDEX - 6, 0.1));
  await insertCvResultRows(db, id, { model: 'AutoMLP', rows: points });
  return id;
};
