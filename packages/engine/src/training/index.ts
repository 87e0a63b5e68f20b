/** The shared training loop and inference. */
export * from './adam.js';
export * from './inference.js';
export * from './outputs.js';
export * from './prepare-batch.js';
export * from './schedule.js';
export * from './train.js';
export * from './exog-forward.js';
