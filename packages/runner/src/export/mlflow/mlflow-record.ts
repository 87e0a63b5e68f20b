/**
 * A finished lab run as the user's MLflow server receives it. The lab's own MLflow API already
 * shows every lab run as an MLflow run (the store's mlflow-views.ts: run name, params, tags, every
 * metric point, status and times; a sweep is the tag `nflab.sweep_id`, not an experiment); the
 * export sends exactly that, so a run reads the same from the lab's MLflow API and from the user's
 * server. On top: the spec's fields as `spec.*` params and the seed, every nested number of the
 * run's metrics (`cv.overall.mae`), tags naming the lab run, and the saved model and reports as
 * files.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import {
  getMlflowRun,
  getRun,
  listArtifacts,
  listRunReports,
  mlflowRunId,
  mlflowRunMetricPoints,
  type Queryable,
} from '@nflab/store';
import { loadRunExportRecord } from '../run-record.js';
import type { KeyValue, MetricPoint } from './mlflow-api.js';

/** One file to upload: its path under the MLflow run's artifacts and where its bytes come from. */
export type MlflowArtifactFile =
  { readonly path: string; readonly file: string } | { readonly path: string; readonly text: string };

/** Everything an export sends for one run. */
export interface MlflowExportRecord {
  readonly runId: string;
  /** The run's name in the lab's MLflow API (`<model>-<8 hex>`). */
  readonly runName: string;
  /** MLflow's status: FINISHED, FAILED or KILLED. */
  readonly status: string;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  readonly endTime: number;
  readonly params: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
  readonly metrics: readonly MetricPoint[];
  readonly artifacts: readonly MlflowArtifactFile[];
  /** This run's MLflow run id on the user's server from an earlier attempt. */
  readonly previousMlflowRunId: string | null;
}

/**
 * A file a run row names, resolved under the lab's artifact folder; refused when it leads outside.
 * Either failure is retried like an unreachable server, not given up at once: the row may be from a
 * worker on another machine, whose own exporter, claiming it next, has the file under its folder.
 */
const fileInside = async (root: string, file: string): Promise<string> => {
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  let real: string;
  try {
    real = await realpath(path.isAbsolute(file) ? file : path.join(realRoot, file));
  } catch {
    throw new Error(`artifact file ${JSON.stringify(file)} is missing`);
  }
  // A row's path is data anyone with database access could write: never upload a file outside.
  if (!real.startsWith(realRoot + path.sep))
    throw new Error(`artifact file ${JSON.stringify(file)} is outside the lab's artifact folder ${root}`);
  return real;
};

/** `<artifact root>/<run id>/model/x.bin` -> `model/x.bin`; anything else -> `<kind>/<file name>`. */
const artifactPath = (root: string, runId: string, file: string, kind: string): string => {
  const relative = path.relative(path.join(root, runId), path.resolve(root, file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : `${kind}/${path.basename(file)}`;
};

const MLFLOW_STATUS = { finished: 'FINISHED', failed: 'FAILED', cancelled: 'KILLED' } as const;

/** Reads run `runId` and everything MLflow receives of it; files must lie under `artifactRoot`. */
export async function loadMlflowExportRecord(
  db: Queryable,
  runId: string,
  artifactRoot: string,
): Promise<MlflowExportRecord> {
  const row = await getRun(db, runId);
  const record = await loadRunExportRecord(db, runId);
  const view = await getMlflowRun(db, mlflowRunId(runId));
  const points = await mlflowRunMetricPoints(db, runId);
  const endTime = view.info.end_time ?? Date.now();

  const params: KeyValue[] = [...(view.data.params ?? [])];
  for (const [key, value] of Object.entries(record.params)) {
    // best.* are the view's already (as jsonb text, the way the lab's MLflow API shows them).
    if (value === null || key.startsWith('best.')) continue;
    params.push({ key: key === 'seed' ? 'seed' : `spec.${key}`, value: String(value) });
  }

  const parent = row.parent_run_id === null ? null : await getRun(db, row.parent_run_id);
  const tags: KeyValue[] = (view.data.tags ?? []).filter((tag) => tag.key !== 'mlflow.parentRunId');
  // A parent is named by its id on the user's server, once it has one there.
  if (parent?.mlflow_run_id) tags.push({ key: 'mlflow.parentRunId', value: parent.mlflow_run_id });
  tags.push(
    { key: 'nflab.run_id', value: runId },
    ...Object.entries(record.tags)
      .filter(([key]) => !['sweep', 'data_fingerprint', 'engine_version'].includes(key))
      .map(([key, value]) => ({ key: `nflab.${key}`, value })),
  );
  // MLflow's UI shows mlflow.note.content as the run's description.
  if (record.error !== null) tags.push({ key: 'mlflow.note.content', value: record.error });

  const viewKeys = new Set(points.map((point) => point.key));
  const metrics: MetricPoint[] = [
    ...points,
    ...Object.entries(record.metrics)
      .filter(([key]) => !viewKeys.has(key))
      .map(([key, value]) => ({ key, value, timestamp: endTime, step: 0 })),
  ];

  const artifacts: MlflowArtifactFile[] = [];
  for (const artifact of await listArtifacts(db, runId))
    artifacts.push({
      path: artifactPath(artifactRoot, runId, artifact.path, artifact.kind),
      file: await fileInside(artifactRoot, artifact.path),
    });
  for (const report of await listRunReports(db, runId))
    artifacts.push(
      report.html !== null
        ? { path: `reports/report-${report.id}.html`, text: report.html }
        : {
            path: `reports/${path.basename(report.path ?? `report-${report.id}`)}`,
            file: await fileInside(artifactRoot, report.path ?? ''),
          },
    );

  return {
    runId,
    runName: view.info.run_name,
    status: MLFLOW_STATUS[row.status as keyof typeof MLFLOW_STATUS] ?? 'KILLED',
    startTime: view.info.start_time ?? endTime,
    endTime,
    params,
    tags,
    metrics,
    artifacts,
    previousMlflowRunId: row.mlflow_run_id,
  };
}
