/**
 * Records every training loss of a run as it happens (runs are verbose). Losses arrive hundreds
 * per second from the compute thread; they are buffered and written in batches (one INSERT per
 * flush), so tracking costs a fraction of the run's time while the UI still sees them within a
 * second. A trial's losses are linked to its trial row by the trial's number.
 */
import { findTrialIds, insertStepMetricRows, type Queryable } from '@nflab/store';
import type { StepEvent } from '../compute/compute-types.js';

/** Options of {@link createStepWriter}. */
export interface StepWriterOptions {
  /** Flush at least this often. @default 1000 */
  readonly intervalMs?: number;
  /** Flush early when this many rows wait. @default 2000 */
  readonly maxBuffered?: number;
  /** Called with write errors (the run goes on; rows are retried at the next flush). */
  readonly onError?: (error: unknown) => void;
}

/** A running step writer. */
export interface StepWriter {
  readonly add: (event: StepEvent) => void;
  /** Writes what is buffered; a failed batch stays buffered for the next flush. */
  readonly flush: () => Promise<void>;
  /** Stops the timer and writes the rest; rejects when the last write failed. */
  readonly close: () => Promise<void>;
  /** Rows written so far. */
  readonly written: () => number;
}

/** Starts a writer for one run's step metrics. */
export const createStepWriter = (
  db: Queryable,
  runId: string,
  options: StepWriterOptions = {},
): StepWriter => {
  let buffer: StepEvent[] = [];
  let written = 0;
  let chain: Promise<void> = Promise.resolve();
  const trialIds = new Map<number, number>();

  const resolveTrialIds = async (numbers: number[]): Promise<void> => {
    const missing = [...new Set(numbers)].filter((n) => !trialIds.has(n));
    if (missing.length === 0) return;
    const rows = await findTrialIds(db, runId, missing);
    for (const row of rows) trialIds.set(row.number, Number(row.id));
  };

  const write = async (events: StepEvent[]): Promise<void> => {
    await resolveTrialIds(events.flatMap((e) => (e.trial === null ? [] : [e.trial])));
    await insertStepMetricRows(
      db,
      runId,
      events.map((e) => ({
        trial_id: e.trial === null ? null : (trialIds.get(e.trial) ?? null),
        step: e.step,
        train_loss: e.kind === 'train' ? e.loss : null,
        valid_loss: e.kind === 'valid' ? e.loss : null,
      })),
    );
    written += events.length;
  };

  let lastError: unknown;
  const flush = (): Promise<void> => {
    if (buffer.length === 0) return chain;
    const events = buffer;
    buffer = [];
    chain = chain.then(async () => {
      try {
        await write(events);
        lastError = undefined;
      } catch (error) {
        // Keep the rows for the next flush (the database may be restarting); report, never throw here.
        buffer = [...events, ...buffer];
        lastError = error;
        options.onError?.(error);
      }
    });
    return chain;
  };

  const timer = setInterval(() => void flush(), options.intervalMs ?? 1000);
  timer.unref();

  return {
    add: (event) => {
      // Non-finite losses end the fit with a TrainingError; the column cannot hold them as a loss curve point.
      if (!Number.isFinite(event.loss)) return;
      buffer.push(event);
      if (buffer.length >= (options.maxBuffered ?? 2000)) void flush();
    },
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
      if (lastError !== undefined) throw lastError;
    },
    written: () => written,
  };
};
