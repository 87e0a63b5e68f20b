/**
 * The data version of a run: the dataset (where its rows came from, their extent and the data
 * fingerprint) and the feature set (exogenous columns by role), as the store's catalog rows take them.
 */
import { createHash } from 'node:crypto';
import type { RunSpec } from '@nflab/contracts';
import type { DatasetVersion, FeatureSetVersion } from '@nflab/store';
import type { RunData } from '../compute/run-data.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** First and last `ds` as ISO dates; nulls when `ds` is an integer step (no calendar dates). */
const dateRange = (ds: readonly (string | number)[]): { dsMin: string | null; dsMax: string | null } => {
  let min: string | undefined;
  let max: string | undefined;
  for (const value of ds) {
    if (typeof value !== 'string' || !ISO_DATE.test(value)) return { dsMin: null, dsMax: null };
    const day = value.slice(0, 10);
    if (min === undefined || day < min) min = day;
    if (max === undefined || day > max) max = day;
  }
  return { dsMin: min ?? null, dsMax: max ?? null };
};

/** The dataset and feature set a run read, fingerprinted. */
export const dataVersionOf = (
  spec: Pick<RunSpec, 'table_name' | 'loto'>,
  data: Pick<RunData, 'columns' | 'exog' | 'series' | 'fingerprint'>,
): { dataset: DatasetVersion; featureSet: FeatureSetVersion } => {
  const columns = { hist: [...data.exog.hist], stat: [...data.exog.stat], futr: [...data.exog.futr] };
  return {
    dataset: {
      tableName: spec.table_name,
      loto: spec.loto,
      uniqueIds: data.series.map((series) => series.uniqueId),
      ...dateRange(data.columns.ds),
      rowCount: data.columns.unique_id.length,
      fingerprint: data.fingerprint,
      columns: [...new Set([...columns.hist, ...columns.stat, ...columns.futr])].sort(),
    },
    featureSet: {
      tableName: spec.table_name,
      columns,
      // Order within a role is kept: it is the order the model's exogenous inputs take.
      fingerprint: createHash('sha256').update(JSON.stringify(columns)).digest('hex'),
    },
  };
};
