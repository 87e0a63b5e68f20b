export * from './errors.js';
export * from './games.js';
