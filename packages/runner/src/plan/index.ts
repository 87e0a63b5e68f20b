export * from './fingerprint.js';
export * from './expand.js';
export * from './check-run.js';
export * from './check-config.js';
export * from './check-data.js';
export * from './plan.js';
