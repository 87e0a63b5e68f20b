export * from './search-space.js';
export * from './run-fields.js';
export * from './run-spec.js';
export * from './sweep-spec.js';
export * from './parse.js';
export * from './json-schema.js';
export * from './canonical-json.js';
export * from './run-operation.js';
