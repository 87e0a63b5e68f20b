/** Analyses over stored runs: database reads, @nflab/analysis, and the stored results. */
export * from './compare-stored-runs.js';
export * from './fingerprint.js';
export * from './sweep-leaderboard.js';
export * from './exogenous-table.js';
export * from './exogenous-difference.js';
export * from './table-drift.js';
export * from './run-anomalies.js';
export * from './compare-stored-pair.js';
