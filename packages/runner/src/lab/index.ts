export * from './submit.js';
export * from './submit-ensemble.js';
