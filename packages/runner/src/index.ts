export * from './plan/index.js';
export * from './queue/index.js';
export * from './worker/index.js';
export * from './monitor/index.js';
export * from './compute/index.js';
export * from './execute/index.js';
export * from './lab/index.js';
export * from './analyses/index.js';
