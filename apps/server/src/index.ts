export { buildServer, type ServerOptions } from './app.js';
export type { ErrorBody } from './errors.js';
