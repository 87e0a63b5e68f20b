export * from './types.js';
export * from './run-queue.js';
export type { CancelResult, EndedStatus } from '@nflab/store';
export { isConnectionError } from './connection-errors.js';
