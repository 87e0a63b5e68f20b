/** The models and their registry. */
export * from './registry.js';
export * from './network.js';
export * from './mlp/mlp.js';
export * from './block-mlp.js';
export * from './nhits/nhits.js';
export * from './nhits/pooling.js';
export * from './nhits/interpolation.js';
