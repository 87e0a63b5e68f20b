/**
 * The server's run exporter (issue 17): ends of runs with a W&B or MLflow sink are sent from the
 * outbox by whichever process claims them (see the runner's export/). Each attempt is counted in
 * `nflab_run_exports_total` and logged; a given-up export is a warning naming the run and why.
 */
import { exportCredentialsFrom, RunExporter, type ExportCredentials } from '@nflab/runner';
import type { Db } from '@nflab/store';
import type { FastifyBaseLogger } from 'fastify';
import { modelCardArtifacts } from './registry/model-card.js';

/** What the exporter runs on and reports to. */
export interface ServerExportOptions {
  readonly db: Db;
  readonly intervalMs: number;
  readonly log: FastifyBaseLogger;
  /** The lab's artifact folder, where saved models and reports are uploaded from. */
  readonly artifactRoot: string;
  /** @default the server's environment (WANDB_API_KEY, WANDB_BASE_URL, MLFLOW_TRACKING_URI, …) */
  readonly credentials?: ExportCredentials;
  /** Counts an attempt (the metric), when metrics are on. */
  readonly countExport?: (sink: string, outcome: 'exported' | 'retry' | 'failed') => void;
}

/** Starts exporting; the returned function stops and waits for the export in progress. */
export const startServerExports = (options: ServerExportOptions): (() => Promise<void>) => {
  const { log } = options;
  const exporter = new RunExporter({
    db: options.db,
    artifactRoot: options.artifactRoot,
    credentials: options.credentials ?? exportCredentialsFrom(process.env),
    intervalMs: options.intervalMs,
    // A registered run's model goes out with its model cards.
    extraArtifacts: (db, runId) => modelCardArtifacts(db, runId),
    onOutcome: (outcome) => {
      const { run_id: runId, sink } = outcome.export;
      if (outcome.ok) {
        options.countExport?.(sink, 'exported');
        log.info({ runId, sink, url: outcome.externalUrl }, 'run exported');
        return;
      }
      const given = outcome.retryInSeconds === null;
      options.countExport?.(sink, given ? 'failed' : 'retry');
      log.warn(
        { runId, sink, error: outcome.error, retryInSeconds: outcome.retryInSeconds },
        given ? 'run export given up' : 'run export failed; retrying later',
      );
    },
    onError: (err) => log.error({ err }, 'run exporter'),
  });
  exporter.start();
  return () => exporter.close();
};
