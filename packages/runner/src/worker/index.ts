export * from './worker-loop.js';
export * from './run-aborted.js';
export { runReaper, DEFAULT_REAP_INTERVAL_MS, type ReaperOptions } from './reaper.js';
export {
  retryOnConnectionLoss,
  FIRST_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  type RetryOptions,
} from './db-retry.js';
