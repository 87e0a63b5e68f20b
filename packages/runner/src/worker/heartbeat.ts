/** The heartbeat of one running attempt: keeps the run owned and tells the attempt when to stop. */
import type { HeartbeatState, RunQueue } from '../queue/index.js';

/** Options of {@link startHeartbeat}. */
export interface HeartbeatOptions {
  readonly queue: RunQueue;
  readonly runId: string;
  readonly intervalMs: number;
  /** Called once when the run is no longer this attempt's to continue. */
  readonly onStop: (cause: Exclude<HeartbeatState, 'owned'>) => void;
  /** A failed beat (the database is away); the run keeps going and the next beat tries again. */
  readonly onError: (error: Error) => void;
}

/**
 * Beats every `intervalMs` until stopped or until a beat says cancel-requested or lost. Beats never
 * overlap: a slow database delays the next one instead of stacking them. Returns the stop function.
 */
export const startHeartbeat = (options: HeartbeatOptions): (() => void) => {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const beat = async (): Promise<void> => {
    try {
      const state = await options.queue.heartbeat(options.runId);
      if (!stopped && state !== 'owned') {
        stopped = true;
        options.onStop(state);
      }
    } catch (error) {
      // Missing beats is what a dead worker looks like; a live one keeps trying until the database is back.
      options.onError(error instanceof Error ? error : new Error(String(error)));
    }
    if (!stopped) timer = setTimeout(() => void beat(), options.intervalMs);
  };
  timer = setTimeout(() => void beat(), options.intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
