/**
 * Exports ended runs to their external trackers from the outbox (nf_run_exports). Any lab process
 * may call this — the server on a timer, a worker after its run, `nflab run` for the run it just
 * made — and claims only the sinks it is configured for, so a process without W&B credentials
 * leaves W&B exports to one that has them instead of burning their attempts. A tracker that is
 * down costs a retry with exponential backoff, never the run; a refusal no retry can fix (bad
 * project, revoked key) marks the export failed at once with the tracker's message.
 */
import {
  claimDueExports,
  markExportAttemptFailed,
  markExported,
  type ExportSink,
  type Queryable,
  type RunExportRow,
} from '@nflab/store';
import { loadRunExportRecord } from './run-record.js';
import { exportToWandb } from './wandb/export-to-wandb.js';
import { WandbRequestError, type WandbConnection } from './wandb/wandb-api.js';

/** Tracker credentials of this process (from its environment). */
export interface ExportCredentials {
  /** `WANDB_API_KEY` (+ `WANDB_BASE_URL`, default https://api.wandb.ai). */
  readonly wandb?: { readonly baseUrl: string; readonly apiKey: string };
}

/** The credentials `env` configures. */
export function exportCredentialsFrom(env: NodeJS.ProcessEnv): ExportCredentials {
  const apiKey = env.WANDB_API_KEY?.trim();
  return apiKey ? { wandb: { apiKey, baseUrl: env.WANDB_BASE_URL?.trim() || 'https://api.wandb.ai' } } : {};
}

/** Exports one call claims at most, unless told otherwise. */
export const EXPORT_BATCH = 20;

/** Options of {@link exportDueRuns}. */
export interface ExportRunsOptions {
  readonly db: Queryable;
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
  const sinks: ExportSink[] = credentials.wandb === undefined ? [] : ['wandb'];
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

async function exportOne(
  row: RunExportRow,
  credentials: ExportCredentials,
  options: ExportRunsOptions,
): Promise<ExportOutcome> {
  try {
    const record = await loadRunExportRecord(options.db, row.run_id);
    const wandb = credentials.wandb;
    if (row.sink !== 'wandb' || wandb === undefined) throw new Error(`no exporter for sink '${row.sink}'`);
    const connection: WandbConnection = {
      ...wandb,
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    };
    const project = typeof row.options.project === 'string' ? row.options.project : 'nf-loto-lab';
    const entity = typeof row.options.entity === 'string' ? row.options.entity : undefined;
    const { externalId, externalUrl } = await exportToWandb(
      record,
      { project, ...(entity === undefined ? {} : { entity }) },
      connection,
    );
    await markExported(options.db, Number(row.id), { external_id: externalId, external_url: externalUrl });
    return { export: row, ok: true, externalId, externalUrl };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryable = !(error instanceof WandbRequestError) || error.retryable;
    const retryInSeconds =
      retryable && row.attempts < (options.maxAttempts ?? 8) ? retryDelaySeconds(row.attempts) : null;
    await markExportAttemptFailed(options.db, Number(row.id), message, retryInSeconds);
    return { export: row, ok: false, error: message, retryInSeconds };
  }
}
