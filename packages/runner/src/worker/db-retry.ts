/** Retrying a queue call through a database restart or a killed connection, with capped backoff. */
import { isConnectionError } from '../queue/connection-errors.js';
import { sleep } from './sleep.js';

/** Backoff of the first retry; doubles each time up to {@link MAX_RETRY_DELAY_MS}. */
export const FIRST_RETRY_DELAY_MS = 100;
/** Longest wait between two tries. */
export const MAX_RETRY_DELAY_MS = 5_000;

/** Options of {@link retryOnConnectionLoss}. */
export interface RetryOptions {
  /** Told of every connection error before the wait that follows it. */
  readonly onError: (error: Error, retryInMs: number) => void;
  /** When it aborts, the retrying stops and `undefined` is returned (claims only: an outcome must land). */
  readonly giveUpOn?: AbortSignal;
}

/**
 * Runs `fn` until it succeeds; connection errors are retried with backoff (the pool opens fresh
 * connections), any other error is thrown. Every queue call it wraps is safe to repeat: each is
 * one transaction that either committed or did not, and the ownership checks make a repeat a no-op.
 */
export async function retryOnConnectionLoss<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<T | undefined> {
  for (let delay = FIRST_RETRY_DELAY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
    if (options.giveUpOn?.aborted) return undefined;
    try {
      return await fn();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      options.onError(error instanceof Error ? error : new Error(String(error)), delay);
      await sleep(delay, options.giveUpOn);
    }
  }
}
