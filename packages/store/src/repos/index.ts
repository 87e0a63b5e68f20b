/** Repositories: the lab's SQL, one module per group of tables, typed with the schema's row types. */
export * from './analyses.js';
export * from './api-tokens.js';
export * from './data-profile.js';
export * from './events.js';
export * from './ensembles.js';
export * from './feature-importance.js';
export * from './health.js';
export * from './queue-insert.js';
export * from './queue-sweep-status.js';
export * from './queue.js';
export * from './registry.js';
export * from './resource-samples.js';
export * from './run-history.js';
export * from './run-outputs.js';
export * from './sessions.js';
export * from './sweeps.js';
export * from './users.js';
