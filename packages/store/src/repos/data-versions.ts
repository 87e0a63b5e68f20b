/**
 * The data version a run used, as catalog rows it references: a dataset (nf_datasets: table, game,
 * series, date range, row count and the fingerprint of the values) and a feature set
 * (nf_feature_sets: the exogenous column lists by role and their fingerprint). Each is written once
 * per table and fingerprint and shared by every run that read the same thing.
 */
import type { Queryable } from '../db.js';

/** What a run read, as the runner knows it once the data is loaded. */
export interface DatasetVersion {
  readonly tableName: string;
  readonly loto: string;
  readonly uniqueIds: readonly string[];
  /** First and last `ds` as ISO dates; null when `ds` is an integer step. */
  readonly dsMin: string | null;
  readonly dsMax: string | null;
  readonly rowCount: number;
  /** The run's data fingerprint (nf_model_runs.data_fingerprint). */
  readonly fingerprint: string;
  /** Columns read besides unique_id, ds and y. */
  readonly columns: readonly string[];
}

/** Exogenous columns by role, as NeuralForecast's `hist_exog_list`, `stat_exog_list`, `futr_exog_list`. */
export interface FeatureColumns {
  readonly hist: readonly string[];
  readonly stat: readonly string[];
  readonly futr: readonly string[];
}

/** A feature set: its table, its columns and the fingerprint of the column lists. */
export interface FeatureSetVersion {
  readonly tableName: string;
  readonly columns: FeatureColumns;
  readonly fingerprint: string;
}

/** A dataset row as the run detail shows it. */
export interface RunDatasetRow {
  readonly id: number;
  readonly name: string;
  readonly table_name: string;
  readonly loto: string | null;
  readonly unique_ids: string[];
  readonly ds_min: string | null;
  readonly ds_max: string | null;
  readonly row_count: number | null;
  readonly fingerprint: string | null;
}

/** A feature-set row as the run detail shows it. */
export interface RunFeatureSetRow {
  readonly id: number;
  readonly name: string;
  readonly table_name: string;
  readonly columns: FeatureColumns;
  readonly fingerprint: string | null;
}

// The no-op SET makes the conflicting row answer RETURNING, so one statement finds or creates it.
const UPSERT_DATASET = `
INSERT INTO nf_datasets (name, table_name, loto, unique_ids, fingerprint, row_count, ds_min, ds_max, columns)
VALUES ($1, $2, $3, $4::text[], $5, $6, $7::date, $8::date, $9::jsonb)
ON CONFLICT (table_name, loto, fingerprint) DO UPDATE SET name = nf_datasets.name
RETURNING id`;

const UPSERT_FEATURE_SET = `
INSERT INTO nf_feature_sets (name, table_name, columns, fingerprint)
VALUES ($1, $2, $3::jsonb, $4)
ON CONFLICT (table_name, fingerprint) DO UPDATE SET name = nf_feature_sets.name
RETURNING id`;

/**
 * Finds or creates the dataset and feature-set rows of what run `runId` read and links the run to
 * them; returns their ids.
 */
export const recordRunDataVersion = async (
  q: Queryable,
  runId: string,
  version: { readonly dataset: DatasetVersion; readonly featureSet: FeatureSetVersion },
): Promise<{ datasetId: number; featureSetId: number }> => {
  const { dataset, featureSet } = version;
  const datasets = await q.query<{ id: string }>(UPSERT_DATASET, [
    `${dataset.tableName}:${dataset.loto}:${dataset.fingerprint.slice(0, 16)}`,
    dataset.tableName,
    dataset.loto,
    dataset.uniqueIds,
    dataset.fingerprint,
    dataset.rowCount,
    dataset.dsMin,
    dataset.dsMax,
    JSON.stringify(dataset.columns),
  ]);
  const features = await q.query<{ id: string }>(UPSERT_FEATURE_SET, [
    `${featureSet.tableName}:features:${featureSet.fingerprint.slice(0, 16)}`,
    featureSet.tableName,
    JSON.stringify(featureSet.columns),
    featureSet.fingerprint,
  ]);
  const datasetId = Number(datasets.rows[0]?.id);
  const featureSetId = Number(features.rows[0]?.id);
  await q.query('UPDATE nf_model_runs SET dataset_id = $2, feature_set_id = $3 WHERE id = $1', [
    runId,
    datasetId,
    featureSetId,
  ]);
  return { datasetId, featureSetId };
};

const EMPTY_COLUMNS: FeatureColumns = { hist: [], stat: [], futr: [] };

/** The dataset and feature set run `runId` links to (null for either it has none). */
export const getRunDataVersion = async (
  q: Queryable,
  runId: string,
): Promise<{ dataset: RunDatasetRow | null; feature_set: RunFeatureSetRow | null }> => {
  const datasets = await q.query<RunDatasetRow>(
    `SELECT d.id::int AS id, d.name, d.table_name, d.loto, d.unique_ids, d.ds_min::text AS ds_min,
            d.ds_max::text AS ds_max, d.row_count::int AS row_count, d.fingerprint
       FROM nf_model_runs r JOIN nf_datasets d ON d.id = r.dataset_id WHERE r.id = $1`,
    [runId],
  );
  const features = await q.query<RunFeatureSetRow>(
    `SELECT f.id::int AS id, f.name, f.table_name, f.columns, f.fingerprint
       FROM nf_model_runs r JOIN nf_feature_sets f ON f.id = r.feature_set_id WHERE r.id = $1`,
    [runId],
  );
  const featureSet = features.rows[0];
  return {
    dataset: datasets.rows[0] ?? null,
    feature_set:
      featureSet === undefined
        ? null
        : { ...featureSet, columns: { ...EMPTY_COLUMNS, ...featureSet.columns } },
  };
};
