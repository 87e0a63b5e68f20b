export * from './submit.js';
