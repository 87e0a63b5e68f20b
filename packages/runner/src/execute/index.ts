export * from './execute-run.js';
export * from './load-run-data.js';
export * from './records.js';
export * from './step-writer.js';
