export {
  enableNativeMatmul,
  disableNativeMatmul,
  nativeMatmulStatus,
  nativeMatmulStats,
  withNativeThreads,
  NATIVE_KERNELS,
  type NativeMatmulOptions,
  type NativeMatmulStatus,
} from './enable.js';
export {
  CORE_TYPES,
  type CoreType,
  type CpuFeatures,
  detectCpuFeatures,
  parseCpuFlags,
  coreTypeFor,
} from './cpu-features.js';
export { planGemm, type GemmPlan } from './gemm-plan.js';
export { setSmallGemmKernelEnabled, SMALL_GEMM_MAX_MACS } from './small-gemm.js';
export type { NativeBackendName } from './backend-memory.js';
export { planSum, type SumPlan } from './sum-kernel.js';
