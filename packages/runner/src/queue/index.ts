export * from './types.js';
export * from './run-queue.js';
export { WORKER_LOST_PREFIX } from './reap.js';
export { ATTEMPT_OUTPUT_TABLES } from './claim.js';
export type { CancelResult } from './cancel.js';
export type { EndedStatus } from './attempt-end.js';
export { isConnectionError } from './connection-errors.js';
