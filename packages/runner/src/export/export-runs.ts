/**
 * Exports ended runs to their external trackers from the outbox (nf_run_exports). Any lab process
 * may call this — the server on a timer, a worker after its run, `nflab run` for the run it just
 * made — and claims only the sinks it is configured for, so a process without W&B credentials
 * (or without MLFLOW_TRACKING_URI) leaves those exports to one that has them instead of burning
 * their attempts. A tracker that is
 * down costs a retry with exponential backoff, never the run; a refusal no retry can fix (bad
 * project, revoked key) marks the export failed at once with the tracker's message.
 */
import path from 'node:path';
import {
  claimDueExports,
  DEFAULT_NFLAB_HOME,
  markExportAttemptFailed,
  markExported,
  recordMlflowDestination,
  type ExportSink,
  type Queryable,
  type RunExportRow,
} from '@nflab/store';
import { exportToMlflow } from './mlflow/export-to-mlflow.js';
import { MlflowRequestError, type MlflowConnection } from './mlflow/mlflow-api.js';
import { loadMlflowExportRecord } from './mlflow/mlflow-record.js';
import { loadRunExportRecord } from './run-record.js';
import { exportToWandb } from './wandb/export-to-wandb.js';
import { WandbRequestError, type WandbConnection } from './wandb/wandb-api.js';

/** Tracker credentials of this process (from its environment). */
export interface ExportCredentials {
  /** `WANDB_API_KEY` (+ `WANDB_BASE_URL`, default https://api.wandb.ai). */
  readonly wandb?: { readonly baseUrl: string; readonly apiKey: string };
  /**
   * `MLFLOW_TRACKING_URI` (an http(s) tracking server) with `MLFLOW_TRACKING_TOKEN` (bearer) or
   * `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD` (basic), as MLflow's clients read them.
   */
  readonly mlflow?: Pick<MlflowConnection, 'trackingUri' | 'token' | 'username' | 'password'>;
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

/** The MLflow server `env` configures; undefined without one the lab can reach over HTTP. */
const mlflowCredentialsFrom = (env: NodeJS.ProcessEnv): ExportCredentials['mlflow'] => {
  const trackingUri = nonEmpty(env.MLFLOW_TRACKING_URI);
  // file:, databricks and sqlite URIs are Python-side stores, not servers the lab can call.
  if (trackingUri === undefined || !/^https?:\/\//i.test(trackingUri)) return undefined;
  const token = nonEmpty(env.MLFLOW_TRACKING_TOKEN);
  const username = nonEmpty(env.MLFLOW_TRACKING_USERNAME);
  const password = env.MLFLOW_TRACKING_PASSWORD;
  return {
    trackingUri,
    ...(token === undefined ? {} : { token }),
    ...(username === undefined ? {} : { username, ...(password === undefined ? {} : { password }) }),
  };
};

/** The credentials `env` configures. */
export function exportCredentialsFrom(env: NodeJS.ProcessEnv): ExportCredentials {
  const apiKey = env.WANDB_API_KEY?.trim();
  const mlflow = mlflowCredentialsFrom(env);
  return {
    ...(apiKey ? { wandb: { apiKey, baseUrl: env.WANDB_BASE_URL?.trim() || 'https://api.wandb.ai' } } : {}),
    ...(mlflow === undefined ? {} : { mlflow }),
  };
}

/** Exports one call claims at most, unless told otherwise. */
export const EXPORT_BATCH = 20;

/** Options of {@link exportDueRuns}. */
export interface ExportRunsOptions {
  readonly db: Queryable;
  /**
   * The lab's artifact folder: saved models and reports are uploaded from under it (a file a row
   * names outside it is refused). @default `$NFLAB_HOME/artifacts`
   */
  readonly artifactRoot?: string;
  /** @default exportCredentialsFrom(process.env) */
  readonly credentials?: ExportCredentials;
  /** Only this run's exports, offline ones included. */
  readonly runId?: string;
  /** Exports per call. @default EXPORT_BATCH */
  readonly limit?: number;
  /** A claimed export is hidden from other processes this long. @default 600 */
  readonly leaseSeconds?: number;
  /** Per request to a tracker. @default 30000 */
  readonly timeoutMs?: number;
  /** Attempts before an export is given up. @default 8 */
  readonly maxAttempts?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Text files exported beside a run's own to MLflow (the server adds the model cards of the run's
   * registered versions, which only it can render).
   */
  readonly extraArtifacts?: (db: Queryable, runId: string) => Promise<readonly MlflowTextArtifact[]>;
}

/** A text file exported beside a run's artifacts: its path under the MLflow run's artifacts. */
export interface MlflowTextArtifact {
  readonly path: string;
  readonly text: string;
}

/** How one export went. */
export type ExportOutcome =
  | {
      readonly export: RunExportRow;
      readonly ok: true;
      readonly externalId: string;
      readonly externalUrl: string;
    }
  | {
      readonly export: RunExportRow;
      readonly ok: false;
      readonly error: string;
      /** Seconds until the next attempt; null when the export was given up. */
      readonly retryInSeconds: number | null;
    };

/** 30 s, 1 min, 2 min, … doubling per attempt, capped at an hour. */
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

/** Claims due exports this process can send and sends them, one at a time; returns each outcome. */
export async function exportDueRuns(options: ExportRunsOptions): Promise<ExportOutcome[]> {
  const credentials = options.credentials ?? exportCredentialsFrom(process.env);
  const sinks: ExportSink[] = [
    ...(credentials.wandb === undefined ? [] : (['wandb'] as const)),
    ...(credentials.mlflow === undefined ? [] : (['mlflow'] as const)),
  ];
  if (sinks.length === 0) return [];
  const claimed = await claimDueExports(options.db, {
    limit: options.limit ?? EXPORT_BATCH,
    leaseSeconds: options.leaseSeconds ?? 600,
    sinks,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
  });
  const outcomes: ExportOutcome[] = [];
  for (const row of claimed) outcomes.push(await exportOne(row, credentials, options));
  return outcomes;
}

/** Where a run lives in its tracker once sent. */
interface Sent {
  readonly externalId: string;
  readonly externalUrl: string;
}

const connectionOptions = (options: ExportRunsOptions) => ({
  timeoutMs: options.timeoutMs ?? 30_000,
  ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
});

const sendToWandb = async (
  row: RunExportRow,
  wandb: NonNullable<ExportCredentials['wandb']>,
  options: ExportRunsOptions,
): Promise<Sent> => {
  const record = await loadRunExportRecord(options.db, row.run_id);
  const connection: WandbConnection = { ...wandb, ...connectionOptions(options) };
  const project = typeof row.options.project === 'string' ? row.options.project : 'nf-loto-lab';
  const entity = typeof row.options.entity === 'string' ? row.options.entity : undefined;
  return exportToWandb(record, { project, ...(entity === undefined ? {} : { entity }) }, connection);
};

const sameUri = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

const sendToMlflow = async (
  row: RunExportRow,
  mlflow: NonNullable<ExportCredentials['mlflow']>,
  options: ExportRunsOptions,
): Promise<Sent> => {
  const asked = row.options.tracking_uri;
  // This process's credentials go to its own MLFLOW_TRACKING_URI only, never to a URI a spec names.
  if (typeof asked === 'string' && !sameUri(asked, mlflow.trackingUri))
    throw new MlflowRequestError(
      `the run asks for the MLflow server ${asked}, but this lab exports to MLFLOW_TRACKING_URI=${mlflow.trackingUri}; set MLFLOW_TRACKING_URI to ${asked} where runs are exported (or drop tracking_uri from the spec), then retry the export`,
      false,
    );
  const artifactRoot =
    options.artifactRoot ?? path.resolve(process.env.NFLAB_HOME || DEFAULT_NFLAB_HOME, 'artifacts');
  const own = await loadMlflowExportRecord(options.db, row.run_id, artifactRoot);
  const extra = (await options.extraArtifacts?.(options.db, row.run_id)) ?? [];
  const record = extra.length === 0 ? own : { ...own, artifacts: [...own.artifacts, ...extra] };
  const experimentName =
    typeof row.options.experiment_name === 'string' ? row.options.experiment_name : undefined;
  return exportToMlflow(
    record,
    experimentName === undefined ? {} : { experimentName },
    { ...mlflow, ...connectionOptions(options) },
    (destination) => recordMlflowDestination(options.db, row.run_id, destination),
  );
};

/** A refusal no retry can fix: the tracker said no to the request itself. */
const isRefusal = (error: unknown): boolean =>
  (error instanceof WandbRequestError || error instanceof MlflowRequestError) && !error.retryable;

async function exportOne(
  row: RunExportRow,
  credentials: ExportCredentials,
  options: ExportRunsOptions,
): Promise<ExportOutcome> {
  try {
    let sent: Sent;
    if (row.sink === 'wandb' && credentials.wandb !== undefined)
      sent = await sendToWandb(row, credentials.wandb, options);
    else if (row.sink === 'mlflow' && credentials.mlflow !== undefined)
      sent = await sendToMlflow(row, credentials.mlflow, options);
    else throw new Error(`no exporter for sink '${row.sink}'`);
    const { externalId, externalUrl } = sent;
    await markExported(options.db, Number(row.id), { external_id: externalId, external_url: externalUrl });
    return { export: row, ok: true, externalId, externalUrl };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryInSeconds =
      !isRefusal(error) && row.attempts < (options.maxAttempts ?? 8) ? retryDelaySeconds(row.attempts) : null;
    await markExportAttemptFailed(options.db, Number(row.id), message, retryInSeconds);
    return { export: row, ok: false, error: message, retryInSeconds };
  }
}
