/**
 * The run exporter of a long-lived process (the server, a worker): ticks {@link exportDueRuns}
 * until closed. Without tracker credentials a tick claims nothing and costs nothing.
 */
import { TickLoop } from '../schedule/tick-loop.js';
import { EXPORT_BATCH, exportDueRuns, type ExportOutcome, type ExportRunsOptions } from './export-runs.js';

/** Options of {@link RunExporter}. */
export interface RunExporterOptions extends Omit<ExportRunsOptions, 'runId'> {
  /** Time between ticks. @default 30000 */
  readonly intervalMs?: number;
  /** Each export's outcome (count it, log it). */
  readonly onOutcome?: (outcome: ExportOutcome) => void;
  /** A tick that failed (the exporter carries on). */
  readonly onError?: (error: unknown) => void;
}

/** Exports due runs on a timer. */
export class RunExporter {
  private readonly loop: TickLoop;

  constructor(options: RunExporterOptions) {
    this.loop = new TickLoop(
      async () => {
        // A full batch means more are due: keep going until a short one (or close).
        for (;;) {
          const outcomes = await exportDueRuns(options);
          for (const outcome of outcomes) options.onOutcome?.(outcome);
          if (outcomes.length < (options.limit ?? EXPORT_BATCH) || this.loop.isClosed) return;
        }
      },
      options.intervalMs ?? 30_000,
      (error) => options.onError?.(error),
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Stops ticking and waits for the export in progress. */
  async close(): Promise<void> {
    await this.loop.close();
  }
}
