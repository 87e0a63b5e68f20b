/** Resource monitor samples of a run, in nf_resource_samples. */
import type { Queryable } from '../db.js';
import { TABLES, type ResourceSampleRow } from '../schema/index.js';

/** A measured column of nf_resource_samples (every column but the id, the run and the time). */
export type ResourceSampleColumn = Exclude<keyof ResourceSampleRow, 'id' | 'run_id' | 'at'>;

/** One sample as written: its time and every measured column (null: not measurable here). */
export type ResourceSampleValue = Pick<ResourceSampleRow, 'at' | ResourceSampleColumn>;

/** The measured columns, in table order. */
export const RESOURCE_SAMPLE_COLUMNS = Object.keys(TABLES.nf_resource_samples).filter(
  (column) => column !== 'id' && column !== 'run_id' && column !== 'at',
) as readonly ResourceSampleColumn[];

const COLUMNS = ['run_id', 'at', ...RESOURCE_SAMPLE_COLUMNS];
// PostgreSQL takes at most 65,535 bind parameters per statement; longer batches are split.
const ROWS_PER_STATEMENT = Math.floor(65_535 / COLUMNS.length);

const insertBatch = async (
  q: Queryable,
  runId: string,
  samples: readonly ResourceSampleValue[],
): Promise<void> => {
  const params: unknown[] = [];
  const rows = samples.map((sample) => {
    params.push(runId, sample.at.toISOString(), ...RESOURCE_SAMPLE_COLUMNS.map((column) => sample[column]));
    const first = params.length - COLUMNS.length;
    return `(${COLUMNS.map((_, i) => `$${first + i + 1}`).join(', ')})`;
  });
  await q.query(`INSERT INTO nf_resource_samples (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params);
};

/**
 * Inserts `samples` of run `runId` with one multi-row INSERT (one per 4,369 samples beyond that);
 * nothing is sent for an empty list. Byte counts are whole numbers already, so bigint columns take them as they are.
 */
export const insertResourceSampleRows = async (
  q: Queryable,
  runId: string,
  samples: readonly ResourceSampleValue[],
): Promise<void> => {
  for (let start = 0; start < samples.length; start += ROWS_PER_STATEMENT) {
    await insertBatch(q, runId, samples.slice(start, start + ROWS_PER_STATEMENT));
  }
};
