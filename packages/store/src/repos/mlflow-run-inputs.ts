/**
 * MLflow's run inputs (`runs/log-inputs`, and `inputs.dataset_inputs` of a Run message): the
 * datasets an MLflow client logs for its runs, with MLflow's size limits and its rule that a
 * dataset (name, digest) is logged once per run. A lab run's input is the data version the runner
 * recorded (its nf_datasets row), so an MLflow client reading a lab run sees what it trained on.
 */
import type { Queryable } from '../db.js';
import { invalidParameter } from '../mlflow/errors.js';
import type { MlflowKeyValue } from './mlflow-runs.js';
import { labRunUuid, mlflowRunId, writableMlflowRun } from './mlflow-runs.js';

/** MLflow's Dataset message. */
export interface MlflowDataset {
  readonly name: string;
  readonly digest: string;
  readonly source_type: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
}

/** MLflow's DatasetInput message. */
export interface MlflowDatasetInput {
  readonly tags?: MlflowKeyValue[];
  readonly dataset: MlflowDataset;
}

/** A run's RunInputs message: `{}` without datasets, as MLflow writes it. */
export interface MlflowRunInputs {
  readonly dataset_inputs?: MlflowDatasetInput[];
}

/** MLflow's limits on a logged dataset (mlflow/utils/validation.py). */
export const MLFLOW_DATASET_LIMITS = {
  name: 500,
  digest: 36,
  source_type: 36,
  source: 65_535,
  schema: 1_048_575,
  profile: 16_384,
  tagKey: 255,
  tagValue: 500,
} as const;

const checkLength = (field: string, value: string | undefined, limit: number): void => {
  if (value !== undefined && value.length > limit)
    throw invalidParameter(
      `'${field}' exceeds the maximum length of ${limit} characters (got ${value.length}).`,
    );
};

const checkInput = ({ dataset, tags }: MlflowDatasetInput): void => {
  for (const field of ['name', 'digest', 'source_type', 'source'] as const) {
    if (dataset[field] === '')
      throw invalidParameter(`Missing value for required parameter 'dataset.${field}'.`);
    checkLength(`dataset.${field}`, dataset[field], MLFLOW_DATASET_LIMITS[field]);
  }
  checkLength('dataset.schema', dataset.schema, MLFLOW_DATASET_LIMITS.schema);
  checkLength('dataset.profile', dataset.profile, MLFLOW_DATASET_LIMITS.profile);
  for (const tag of tags ?? []) {
    if (tag.key === '') throw invalidParameter("Missing value for required parameter 'tags.key'.");
    checkLength('tags.key', tag.key, MLFLOW_DATASET_LIMITS.tagKey);
    checkLength('tags.value', tag.value, MLFLOW_DATASET_LIMITS.tagValue);
  }
};

/**
 * Logs `inputs` on the external run `runId` (active; a lab run's input is the lab's record). A
 * dataset logged again on the same run (same name and digest) keeps one row with the newer tags.
 */
export const logMlflowRunInputs = async (
  db: Queryable,
  runId: string,
  inputs: readonly MlflowDatasetInput[],
): Promise<void> => {
  inputs.forEach(checkInput);
  const run = await writableMlflowRun(db, runId);
  for (const { dataset, tags } of inputs) {
    await db.query(
      `INSERT INTO nf_mlflow_run_inputs (run_id, name, digest, source_type, source, schema, profile, tags)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (run_id, name, digest) DO UPDATE SET tags = excluded.tags`,
      [
        run.run_id,
        dataset.name,
        dataset.digest,
        dataset.source_type,
        dataset.source,
        dataset.schema ?? null,
        dataset.profile ?? null,
        JSON.stringify(tags ?? []),
      ],
    );
  }
};

interface InputRow {
  readonly run_id: string;
  readonly name: string;
  readonly digest: string;
  readonly source_type: string;
  readonly source: string;
  readonly schema: string | null;
  readonly profile: string | null;
  readonly tags: MlflowKeyValue[];
}

/** The data version a lab run recorded, as a dataset input (context `training`). */
const LAB_INPUTS = `
  SELECT r.id AS run_id, d.table_name || ':' || coalesce(d.loto, '') AS name,
         left(d.fingerprint, 36) AS digest, 'nflab' AS source_type,
         json_build_object('table', d.table_name, 'loto', d.loto, 'unique_ids', d.unique_ids,
                           'ds_min', d.ds_min, 'ds_max', d.ds_max, 'rows', d.row_count)::text AS source,
         NULL::text AS schema, NULL::text AS profile,
         '[{"key": "mlflow.data.context", "value": "training"}]'::jsonb AS tags,
         0 AS seq
    FROM nf_model_runs r JOIN nf_datasets d ON d.id = r.dataset_id
   WHERE r.id = ANY($1::uuid[]) AND d.fingerprint IS NOT NULL`;

/** The RunInputs of each run (32-hex ids): the lab's data version, then what clients logged. */
export const mlflowRunInputs = async (
  db: Queryable,
  runIds: readonly string[],
): Promise<Map<string, MlflowRunInputs>> => {
  const uuids = runIds.map(labRunUuid).filter((id): id is string => id !== undefined);
  const { rows } = await db.query<InputRow>(
    `SELECT run_id, name, digest, source_type, source, schema, profile, tags FROM (
       ${LAB_INPUTS}
       UNION ALL
       SELECT run_id, name, digest, source_type, source, schema, profile, tags, id AS seq
         FROM nf_mlflow_run_inputs WHERE run_id = ANY($1::uuid[])
     ) inputs ORDER BY seq`,
    [uuids],
  );
  const inputs = new Map<string, MlflowDatasetInput[]>(runIds.map((id) => [id, []]));
  for (const row of rows) {
    const dataset: MlflowDataset = {
      name: row.name,
      digest: row.digest,
      source_type: row.source_type,
      source: row.source,
      ...(row.schema === null ? {} : { schema: row.schema }),
      ...(row.profile === null ? {} : { profile: row.profile }),
    };
    inputs
      .get(mlflowRunId(row.run_id))
      ?.push({ ...(row.tags.length > 0 ? { tags: row.tags } : {}), dataset });
  }
  return new Map([...inputs].map(([id, list]) => [id, list.length > 0 ? { dataset_inputs: list } : {}]));
};
