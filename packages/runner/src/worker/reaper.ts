/**
 * The reaper on its own: any lab process that is alive — a server without worker slots included —
 * marks runs whose worker died, so a `kill -9` never leaves a run "running" for good.
 */
import { ConfigError } from '@nflab/contracts';
import type { RunQueue } from '../queue/index.js';
import { sleep } from './sleep.js';

/**
 * Default {@link ReaperOptions.intervalMs}: with the queue's 25 s staleAfterMs, a dead worker's run
 * is marked within 30 s.
 */
export const DEFAULT_REAP_INTERVAL_MS = 2_000;

/** Options of {@link runReaper}. */
export interface ReaperOptions {
  /** Reaps with this queue's staleAfterMs. */
  readonly queue: RunQueue;
  /** Wait between reaps. @default DEFAULT_REAP_INTERVAL_MS */
  readonly intervalMs?: number;
  /** Stops the loop (it resolves after the reap in flight). */
  readonly signal: AbortSignal;
  /** Runs just marked failed, requeued or cancelled because their worker was lost. */
  readonly onReaped?: (runIds: string[]) => void;
  /** A reap failed (database down, a deadlock between two reapers); the loop goes on. */
  readonly onError?: (error: Error) => void;
}

/** Reaps lost runs every `intervalMs` until `signal` aborts; never rejects. */
export const runReaper = async (options: ReaperOptions): Promise<void> => {
  const intervalMs = options.intervalMs ?? DEFAULT_REAP_INTERVAL_MS;
  if (!(Number.isFinite(intervalMs) && intervalMs > 0))
    throw new ConfigError(`the reap interval must be a positive number of milliseconds, got ${intervalMs}`);
  while (!options.signal.aborted) {
    try {
      const runIds = await options.queue.reapLost();
      if (runIds.length > 0) options.onReaped?.(runIds);
    } catch (error) {
      // Best-effort and repeated every cycle: a database hiccup must not end the reaper.
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
    await sleep(intervalMs, options.signal);
  }
};
