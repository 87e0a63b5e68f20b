export * from './errors.js';
export * from './games.js';
export * from './backends.js';
