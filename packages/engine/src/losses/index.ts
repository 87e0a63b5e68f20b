/** Losses with NeuralForecast's names and semantics, and their registry. */
export * from './types.js';
export * from './define-loss.js';
export * from './weighted-mean.js';
export * from './point-loss.js';
export * from './registry.js';
