/** OpenTelemetry context of runs across the queue and the compute thread. */
export * from './run-trace.js';
export * from './trial-spans.js';
export * from './thread-tracing.js';
