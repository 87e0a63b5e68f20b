export * from './queue.js';
export * from './queue-insert.js';
export * from './queue-sweep-status.js';
export * from './run-outputs.js';
export * from './resource-samples.js';
