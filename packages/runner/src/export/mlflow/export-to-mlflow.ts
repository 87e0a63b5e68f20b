/**
 * Logs a finished lab run to the user's MLflow server: creates the MLflow run (or, on a retry,
 * reuses the one an earlier attempt created, whose id the lab recorded at once), logs params, tags
 * and every metric point with `runs/log-batch` within MLflow's limits, uploads the saved model and
 * reports through the server's artifact proxy, and only then sets the run's final status and end
 * time — so a run left RUNNING on the server is an export that has not completed. Every step is
 * idempotent on MLflow: a param logged again with its value, a tag set again and a metric point
 * logged again (MLflow keeps one point per key, step, timestamp and value) change nothing.
 */
import { readFile } from 'node:fs/promises';
import { MLFLOW_LIMITS } from '@nflab/store';
import {
  MlflowApi,
  MlflowRequestError,
  proxiedArtifactPath,
  type KeyValue,
  type MetricPoint,
  type MlflowConnection,
  type MlflowRemoteRun,
} from './mlflow-api.js';
import type { MlflowExportRecord } from './mlflow-record.js';

/** The spec's `{ sink: 'mlflow', experiment_name?, tracking_uri? }` options. */
export interface MlflowSinkOptions {
  /** @default 'Default' — where the lab's own MLflow API lists lab runs (a sweep is a tag). */
  readonly experimentName?: string;
}

/** The experiment runs go to when the spec names none: every MLflow server has it. */
export const DEFAULT_MLFLOW_EXPERIMENT = 'Default';

/**
 * A key MLflow accepts: letters, digits, `_ - . / space` (older servers refuse anything else), no
 * `..`, not absolute, at most 250 characters.
 */
export const mlflowKey = (key: string): string =>
  key
    .replace(/[^\w./ -]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^\/+/, '')
    .slice(0, MLFLOW_LIMITS.keyLength) || '_';

/** Keys made MLflow-safe, first value per key kept, values cut to `maxValue` characters. */
const safeKeyValues = (entries: readonly KeyValue[], maxValue: number): KeyValue[] => {
  const seen = new Map<string, string>();
  for (const { key, value } of entries) {
    const safe = mlflowKey(key);
    if (!seen.has(safe)) seen.set(safe, value.length > maxValue ? value.slice(0, maxValue) : value);
  }
  return [...seen].map(([key, value]) => ({ key, value }));
};

/** One `runs/log-batch` body. */
export interface MlflowBatch {
  readonly metrics: readonly MetricPoint[];
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
}

/**
 * Splits a run's data into log-batch requests within MLflow's limits: at most 100 params, 100 tags
 * and 1000 metrics per request, 1000 entries in all. Params and tags go first (with metrics
 * filling what room is left), then metrics 1000 at a time, in order, so each history arrives in
 * step order.
 */
export const mlflowBatches = (data: {
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
  readonly metrics: readonly MetricPoint[];
}): MlflowBatch[] => {
  const batches: MlflowBatch[] = [];
  let p = 0;
  let t = 0;
  let m = 0;
  while (p < data.params.length || t < data.tags.length || m < data.metrics.length) {
    const params = data.params.slice(p, p + MLFLOW_LIMITS.params);
    const tags = data.tags.slice(t, t + MLFLOW_LIMITS.tags);
    const room = Math.min(MLFLOW_LIMITS.metrics, MLFLOW_LIMITS.total - params.length - tags.length);
    const metrics = data.metrics.slice(m, m + room);
    batches.push({ params, tags, metrics });
    p += params.length;
    t += tags.length;
    m += metrics.length;
  }
  return batches;
};

/** The run's page in the MLflow UI. */
export const mlflowRunUrl = (trackingUri: string, experimentId: string, runId: string): string =>
  `${trackingUri.replace(/\/+$/, '')}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;

/** Where the run now lives on the user's MLflow server. */
export interface MlflowDestination {
  readonly mlflowRunId: string;
  readonly experimentId: string;
}

/** Exports `record`; `onCreated` records the MLflow run before anything is logged to it. */
export async function exportToMlflow(
  record: MlflowExportRecord,
  options: MlflowSinkOptions,
  connection: MlflowConnection,
  onCreated: (destination: MlflowDestination) => Promise<void>,
): Promise<{ readonly externalId: string; readonly externalUrl: string; readonly experimentId: string }> {
  const api = new MlflowApi(connection);
  const experimentId = await api.experimentId(options.experimentName ?? DEFAULT_MLFLOW_EXPERIMENT);
  const previous =
    record.previousMlflowRunId === null ? undefined : await api.getRun(record.previousMlflowRunId);
  let run: MlflowRemoteRun;
  if (
    previous !== undefined &&
    previous.experiment_id === experimentId &&
    previous.lifecycle_stage === 'active'
  )
    run = previous;
  else {
    run = await api.createRun({
      experimentId,
      runName: record.runName,
      startTime: record.startTime,
      tags: [{ key: 'nflab.run_id', value: record.runId }],
    });
    await onCreated({ mlflowRunId: run.run_id, experimentId });
  }

  const batches = mlflowBatches({
    params: safeKeyValues(record.params, MLFLOW_LIMITS.paramValueLength),
    tags: safeKeyValues(record.tags, MLFLOW_LIMITS.tagValueLength),
    metrics: record.metrics
      .filter((point) => Number.isFinite(point.value))
      .map((point) => ({ ...point, key: mlflowKey(point.key) })),
  });
  for (const batch of batches) await api.logBatch(run.run_id, batch);

  if (record.artifacts.length > 0) {
    const root = proxiedArtifactPath(run.artifact_uri);
    if (root === undefined)
      throw new MlflowRequestError(
        `MLflow keeps this run's artifacts at ${run.artifact_uri}, which its server does not proxy: start the server with artifact serving (mlflow server --serve-artifacts, the default since MLflow 2.0) so the lab can upload the model and reports`,
        false,
      );
    for (const artifact of record.artifacts) {
      const bytes = 'file' in artifact ? await readFile(artifact.file) : Buffer.from(artifact.text, 'utf8');
      await api.uploadArtifact(root, artifact.path, bytes);
    }
  }

  await api.updateRun(run.run_id, { status: record.status, endTime: record.endTime });
  return {
    externalId: run.run_id,
    externalUrl: mlflowRunUrl(connection.trackingUri, experimentId, run.run_id),
    experimentId,
  };
}
