/** Building blocks shared by the models: variables, dense layers, activations, dropout, norms, attention, embeddings. */
export * from './params.js';
export * from './linear.js';
export * from './activations.js';
export * from './forward-context.js';
export * from './dropout.js';
export * from './layer-norm.js';
export * from './mlp.js';
export * from './attention.js';
export * from './data-embedding.js';
export * from './normal-init.js';
export * from './dft.js';
export * from './series-decomp.js';
export * from './seasonal-layer-norm.js';
export * from './circular-conv1d.js';
export * from './auto-correlation.js';
