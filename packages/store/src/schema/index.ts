/** The lab schema as TypeScript: column types, per-table row types and CHECK vocabularies. */
export * from './column-types.js';
export * from './tables.js';
export * from './vocabulary.js';
