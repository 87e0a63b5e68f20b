export * from './types.js';
export * from './summarize.js';
export * from './monitor.js';
export * from './system-info.js';
export * from './insert-samples.js';
export { type GpuInfo } from './gpu.js';
