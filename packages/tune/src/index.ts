/**
 * @nflab/tune — generic hyperparameter search: JSON-safe search spaces, samplers, pruners, a Study
 * with ask/tell over a storage interface. Native implementations modelled on Optuna and Ray Tune.
 */
export * from './space.js';
export * from './params.js';
export * as ray from './ray.js';
export * from './trial.js';
export * from './trial-handle.js';
export * from './study.js';
export type { Objective, OptimizeOptions } from './optimize.js';
export * from './storage/storage.js';
export * from './storage/memory.js';
export * from './samplers/types.js';
export * from './samplers/registry.js';
export { createRandomSampler, sampleUniform } from './samplers/random.js';
export type { RandomSamplerOptions } from './samplers/random.js';
export { createGridSampler } from './samplers/grid.js';
export type { GridSamplerOptions } from './samplers/grid.js';
export { createBruteForceSampler } from './samplers/brute-force.js';
export type { BruteForceOptions } from './samplers/brute-force.js';
export { createQmcSampler } from './samplers/qmc.js';
export type { QmcOptions } from './samplers/qmc.js';
export { sobol, halton } from './samplers/qmc-sequences.js';
export { createCmaEsSampler } from './samplers/cmaes.js';
export type { CmaEsOptions } from './samplers/cmaes.js';
export { createTpeSampler, defaultGamma, defaultWeights, hyperoptGamma } from './samplers/tpe/tpe.js';
export type { TpeOptions } from './samplers/tpe/tpe.js';
export * from './pruners/types.js';
export * from './pruners/registry.js';
export type { PrunerFactory } from './pruners/define-pruner.js';
export * from './schedulers/registry.js';
export * from './samplers/ray-search.js';
export { createNopPruner } from './pruners/nop.js';
export { createMedianPruner, createPercentilePruner } from './pruners/percentile.js';
export type { MedianOptions, PercentileOptions } from './pruners/percentile.js';
export { createSuccessiveHalvingPruner } from './pruners/successive-halving.js';
export type { SuccessiveHalvingOptions } from './pruners/successive-halving.js';
export { createHyperbandPruner } from './pruners/hyperband.js';
export type { HyperbandOptions } from './pruners/hyperband.js';
export { createPatientPruner } from './pruners/patient.js';
export type { PatientOptions } from './pruners/patient.js';
export { createThresholdPruner } from './pruners/threshold.js';
export type { ThresholdOptions } from './pruners/threshold.js';
export * from './create-search.js';
export * from './functions.js';
export * from './testing.js';
