/** The common training config shared by every model. */
export * from './common.js';
/** Strict config keys: unknown keys are errors; NeuralForecast's plumbing arguments are decided one by one. */
export * from './config-keys.js';
