/** Worker threads that talk back: one channel for the runner's compute threads and the trial pool. */
export * from './error-transport.js';
export * from './worker-channel.js';
