/** Writes monitor samples to nf_resource_samples. */
import type { Queryable } from '@nflab/store';
import { SAMPLED_SERIES, SERIES_COLUMNS, type ResourceSample } from './types.js';

const COLUMNS = ['run_id', 'at', ...SAMPLED_SERIES.map((series) => SERIES_COLUMNS[series])];
// PostgreSQL takes at most 65,535 bind parameters per statement; longer batches are split.
const ROWS_PER_STATEMENT = Math.floor(65_535 / COLUMNS.length);

const insertBatch = async (
  db: Queryable,
  runId: string,
  samples: readonly ResourceSample[],
): Promise<void> => {
  const params: unknown[] = [];
  const rows = samples.map((sample) => {
    params.push(runId, sample.at.toISOString(), ...SAMPLED_SERIES.map((series) => sample[series]));
    const first = params.length - COLUMNS.length;
    return `(${COLUMNS.map((_, i) => `$${first + i + 1}`).join(', ')})`;
  });
  await db.query(`INSERT INTO nf_resource_samples (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params);
};

/**
 * Inserts `samples` of run `runId` with one multi-row INSERT (one per 4,369 samples beyond that);
 * nothing is sent for an empty list. Byte counts are whole numbers already, so bigint columns take them as they are.
 */
export const insertResourceSamples = async (
  db: Queryable,
  runId: string,
  samples: readonly ResourceSample[],
): Promise<void> => {
  for (let start = 0; start < samples.length; start += ROWS_PER_STATEMENT) {
    await insertBatch(db, runId, samples.slice(start, start + ROWS_PER_STATEMENT));
  }
};
