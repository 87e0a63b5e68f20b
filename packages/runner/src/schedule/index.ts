/** Scheduled monitors: cron schedules, the scheduler, one execution and its windows, the webhook. */
export * from './monitor-windows.js';
export * from './run-monitor.js';
export * from './cron.js';
export * from './scheduler.js';
export * from './webhook.js';
export * from './define-monitor.js';
export * from './tick-loop.js';
