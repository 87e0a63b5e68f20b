/** Losses with NeuralForecast's names and semantics, and their registry. */
export * from './types.js';
export * from './define-loss.js';
export * from './weighted-mean.js';
export * from './point-loss.js';
export * from './quantile-outputs.js';
export * from './distribution-loss.js';
export type { DistributionFamily, DistributionName } from './distributions/family.js';
export { lgamma, lgammaNumber } from './distributions/lgamma.js';
export { gammaDraw, poissonDraw } from './distributions/draws.js';
export { seasonalNaive } from './relmse.js';
export * from './registry.js';
