/** NeuralForecast-style windows: sources, references, assembly and sampling. */
export * from './assemble.js';
export * from './refs.js';
export * from './sampler.js';
export * from './source.js';
export * from './multivariate.js';
