/** The models and their registry. */
export * from './registry.js';
export * from './network.js';
export * from './mlp/mlp.js';
