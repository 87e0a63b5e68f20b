/** Hyperparameter search over the registered models (NeuralForecast's Auto* as one wrapper). */
export * from './auto-config.js';
export * from './auto-model.js';
export { TrialWorkerPool } from './worker-pool.js';
