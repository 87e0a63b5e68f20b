export * from './errors.js';
export * from './games.js';
export * from './backends.js';
export * from './validation.js';
export * from './api/data.js';
export * from './specs/index.js';
