export * from './tracked-run.js';
export * from './prometheus-sink.js';
