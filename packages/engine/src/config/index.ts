/** The common training config shared by every model. */
export * from './common.js';
