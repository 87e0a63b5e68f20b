/** Window scalers (`scaler_type`) and local scalers (`local_scaler_type`). */
export * from './types.js';
export * from './masked-stats.js';
export * from './window-scalers.js';
export * from './local-scalers.js';
export * from './boxcox.js';
