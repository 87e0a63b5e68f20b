/**
 * Records every training loss of a run as it happens (runs are verbose). Losses arrive hundreds
 * per second from the compute thread; they are buffered and written in batches (one INSERT per
 * flush), so tracking costs a fraction of the run's time while the UI still sees them within a
 * second. A trial's losses are linked to its nf_trials row by the trial's number.
 */
import type { Queryable } from '@nflab/store';
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
    const { rows } = await db.query<{ number: number; id: string | number }>(
      'SELECT number, id FROM nf_trials WHERE run_id = $1 AND number = ANY($2::int[])',
      [runId, missing],
    );
    for (const row of rows) trialIds.set(row.number, Number(row.id));
  };

  const write = async (events: StepEvent[]): Promise<void> => {
    await resolveTrialIds(events.flatMap((e) => (e.trial === null ? [] : [e.trial])));
    await db.query(
      `INSERT INTO nf_step_metrics (run_id, trial_id, step, train_loss, valid_loss)
       SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::float8[], $5::float8[])`,
      [
        runId,
        events.map((e) => (e.trial === null ? null : (trialIds.get(e.trial) ?? null))),
        events.map((e) => e.step),
        events.map((e) => (e.kind === 'train' ? e.loss : null)),
        events.map((e) => (e.kind === 'valid' ? e.loss : null)),
      ],
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
