/** Writes monitor samples through the store's resource-sample repository. */
import { insertResourceSampleRows, type Queryable, type ResourceSampleValue } from '@nflab/store';
import { SAMPLED_SERIES, SERIES_COLUMNS, type ResourceSample } from './types.js';

/** A sample as its table row: each series under its column. */
const sampleRow = (sample: ResourceSample): ResourceSampleValue => {
  const row: Partial<Record<keyof ResourceSampleValue, unknown>> = { at: sample.at };
  for (const series of SAMPLED_SERIES) row[SERIES_COLUMNS[series]] = sample[series];
  return row as ResourceSampleValue;
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
  await insertResourceSampleRows(db, runId, samples.map(sampleRow));
};
