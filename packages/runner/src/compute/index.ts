export * from './compute-types.js';
export * from './compute-run.js';
export * from './compute-client.js';
export type * from './importance/types.js';
export * from './model-config.js';
export * from './operations/index.js';
export * from './run-data.js';
export * from './run-metrics.js';
export * from './storage-rpc.js';
