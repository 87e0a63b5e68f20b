export * from './db.js';
export { openPglite } from './drivers/pglite.js';
export { openPostgres, type PostgresOptions } from './drivers/postgres.js';
