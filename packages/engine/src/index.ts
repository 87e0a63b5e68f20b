/**
 * @nflab/engine: panel data, NeuralForecast-style windows, scalers, losses, models, the training
 * loop and the `NeuralForecast` core on TensorFlow.js.
 */
export * from './auto/index.js';
export * from './backend/backend.js';
export * from './backend/spawn-worker.js';
export * from './threads/index.js';
export * from './backend/runtime.js';
export * from './config/index.js';
export * from './core/index.js';
export * from './data/index.js';
export * from './hierarchy/index.js';
export * from './llm/index.js';
export * from './losses/index.js';
export type * from './model/types.js';
export * from './models/index.js';
export * from './native/index.js';
export * from './nn/index.js';
export * from './scalers/index.js';
export * from './testing/check-model.js';
export * from './training/index.js';
export * from './windows/index.js';
