/** Scheduled monitors: one execution of a monitor and the windows it compares. */
export * from './monitor-windows.js';
export * from './run-monitor.js';
