/** Panel data: frequencies, timestamps and the typed panel. */
export * from './freq.js';
export * from './panel.js';
