/**
 * The server reaps lost runs whatever its worker count: with `--workers 0` it may be the only lab
 * process left alive after the last `nflab worker` was killed, and a killed worker's run must not
 * stay "running" (the README promises it is marked within 30 s).
 */
import { RunQueue, runReaper } from '@nflab/runner';
import type { Db } from '@nflab/store';

/** Options of {@link startServerReaper}. */
export interface ServerReaperOptions {
  /** Wait between reaps. @default DEFAULT_REAP_INTERVAL_MS (2 s) */
  readonly intervalMs?: number;
  readonly onReaped: (runIds: string[]) => void;
  readonly onError: (error: Error) => void;
}

/** Starts reaping; the returned function stops it and resolves once the reap in flight is done. */
export const startServerReaper = (db: Db, options: ServerReaperOptions): (() => Promise<void>) => {
  const stop = new AbortController();
  const done = runReaper({
    queue: new RunQueue(db),
    signal: stop.signal,
    onReaped: options.onReaped,
    onError: options.onError,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
  });
  return async () => {
    stop.abort();
    await done;
  };
};
