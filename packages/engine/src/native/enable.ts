import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { wasmSimd } from '../backend/simd/wasm-simd.js';
import { NATIVE_BACKENDS, type NativeBackendName } from './backend-memory.js';
import { CORE_TYPES, coreTypeFor, detectCpuFeatures, type CoreType } from './cpu-features.js';
import {
  nativeBatchMatMul,
  nativeFusedMatMul,
  type NativeKernelStats,
  type OverrideContext,
} from './kernels.js';
import { loadOpenBlas, OpenBlasUnavailable, type Sgemm, type Sgemv } from './openblas.js';
import { sizeAwareSgemm, sizeAwareSgemv, threadedGemmMinMacs } from './size-aware-sgemm.js';
import { smallGemmFits } from './small-gemm.js';
import { nativeSum } from './sum-kernel.js';

/**
 * Kernels this path overrides; gradients run through the same kernels, so they speed up too.
 * `Sum` is here because bias gradients reduce [B, N] over the batch, which is a matrix-vector
 * product (1ᵀ·dY) that the wasm kernel does by transposing first.
 */
export const NATIVE_KERNELS = [tf.BatchMatMul, tf._FusedMatMul, tf.Sum] as const;

const OVERRIDES: Record<
  (typeof NATIVE_KERNELS)[number],
  (ctx: OverrideContext, sgemv: Sgemv) => KernelConfig
> = {
  [tf.BatchMatMul]: (ctx) => nativeBatchMatMul(ctx),
  [tf._FusedMatMul]: (ctx) => nativeFusedMatMul(ctx),
  [tf.Sum]: (ctx, sgemv) => nativeSum(ctx, sgemv),
};

/** Options of `enableNativeMatmul`. */
export interface NativeMatmulOptions {
  /**
   * OpenBLAS kernel family to force. An explicit value wins over `OPENBLAS_CORETYPE` and over
   * the CPU check (for a CPU whose flags the VM hides).
   * @default detected from /proc/cpuinfo: 'SkylakeX' with AVX-512, 'Haswell' with AVX2
   */
  coreType?: CoreType;
  /**
   * BLAS threads. Trials that each run in their own worker should pass 1.
   * @default OPENBLAS_NUM_THREADS, else the number of CPUs
   */
  threads?: number;
  /**
   * Backends whose kernels are overridden (those registered in this tfjs instance).
   * @default ['cpu', 'wasm']
   */
  backends?: readonly NativeBackendName[];
  /**
   * Path of the OpenBLAS shared library, for installs outside the linker's search path.
   * @default NFLAB_OPENBLAS_LIBRARY, else libopenblas.so.0 and Debian's pthread build
   */
  library?: string;
}

/** Outcome of `enableNativeMatmul`: whether the native path is active and why (not). */
export interface NativeMatmulStatus {
  readonly enabled: boolean;
  /** Human-readable cause: 'enabled', or why the reference kernels stay in use. */
  readonly reason: string;
  /** The OpenBLAS library that loaded, or null. */
  readonly library: string | null;
  /** The kernel family OpenBLAS reports in use (`openblas_get_corename`), or the one asked for. */
  readonly coreType: string | null;
  readonly threads: number | null;
  /** Backends whose matmul kernels now run on BLAS. */
  readonly backends: readonly NativeBackendName[];
}

interface Installed {
  originals: KernelConfig[];
  status: NativeMatmulStatus;
  sgemm: Sgemm;
  setThreads: (threads: number) => void;
}

let installed: Installed | null = null;
const stats: NativeKernelStats = { native: 0, fallback: 0, batched: 0 };

const disabled = (reason: string, coreType: string | null = null): NativeMatmulStatus => ({
  enabled: false,
  reason,
  library: null,
  coreType,
  threads: null,
  backends: [],
});

function resolveThreads(threads: number | undefined): number {
  const fromEnv = Number(process.env.OPENBLAS_NUM_THREADS);
  const value = threads ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism());
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`enableNativeMatmul: threads must be a positive integer, got ${value}`);
  }
  return value;
}

function replaceKernels(backends: readonly NativeBackendName[], blas: { sgemm: Sgemm; sgemv: Sgemv }) {
  const originals: KernelConfig[] = [];
  const active: NativeBackendName[] = [];
  for (const backendName of backends) {
    const configs = NATIVE_KERNELS.map((name) => tf.getKernel(name, backendName));
    if (configs.some((c) => c === undefined)) continue;
    for (const original of configs) {
      const ctx: OverrideContext = { backendName, sgemm: blas.sgemm, original, stats };
      const override = OVERRIDES[original.kernelName as (typeof NATIVE_KERNELS)[number]](ctx, blas.sgemv);
      tf.unregisterKernel(original.kernelName, backendName);
      tf.registerKernel(override);
      originals.push(original);
    }
    active.push(backendName);
  }
  return { originals, active };
}

/**
 * Routes tfjs' matrix-product kernels (`BatchMatMul`, `_FusedMatMul`, forward and in gradients)
 * and batch-axis `Sum` reductions to OpenBLAS sgemm/sgemv where the library loads and the CPU has AVX2 or AVX-512; otherwise leaves
 * the reference kernels in place and says why. `NFLAB_NATIVE_BLAS=0` turns it off.
 * Call it after the backends are imported (kernels registered later keep the reference path).
 * Idempotent: a second call returns the active status (after applying `threads`).
 */
export function enableNativeMatmul(options: NativeMatmulOptions = {}): NativeMatmulStatus {
  if (process.env.NFLAB_NATIVE_BLAS === '0') return disabled('disabled by NFLAB_NATIVE_BLAS=0');
  if (options.coreType !== undefined && !CORE_TYPES.includes(options.coreType)) {
    throw new ConfigError(
      `enableNativeMatmul: coreType must be one of ${CORE_TYPES.join(', ')}, got ${String(options.coreType)}`,
    );
  }
  const threads = resolveThreads(options.threads);
  const detected = coreTypeFor(detectCpuFeatures());
  const coreType = options.coreType ?? detected;
  if (coreType === null) return disabled('CPU has neither AVX-512 nor AVX2 (or /proc/cpuinfo is unreadable)');
  let blas;
  try {
    const library = options.library ?? process.env.NFLAB_OPENBLAS_LIBRARY;
    blas = loadOpenBlas({
      coreType,
      forceCoreType: options.coreType !== undefined,
      threads,
      libraries: library ? [library] : undefined,
    });
  } catch (cause) {
    if (cause instanceof OpenBlasUnavailable) return disabled(cause.reason, coreType);
    throw cause;
  }
  if (installed) return (installed = { ...installed, status: { ...installed.status, threads } }).status;
  const minMacs = threadedGemmMinMacs(process.env);
  const sgemm = sizeAwareSgemm(blas, minMacs);
  const { originals, active } = replaceKernels(options.backends ?? NATIVE_BACKENDS, {
    sgemm,
    sgemv: sizeAwareSgemv(blas, minMacs),
  });
  if (active.length === 0)
    return disabled('no cpu or wasm backend kernels are registered in this tfjs instance', coreType);
  const status: NativeMatmulStatus = {
    enabled: true,
    reason: 'enabled',
    library: blas.library,
    coreType: blas.coreName(),
    threads: blas.getThreads(),
    backends: active,
  };
  installed = { originals, status, sgemm, setThreads: blas.setThreads };
  return status;
}

/**
 * Runs `fn` with `threads` BLAS threads and restores the previous count after it settles; runs it
 * unchanged when the native path is not active. OpenBLAS' count is process-wide: a fit that runs
 * alone after trials that ran one thread each (AutoModel's refit) gets the cores they shared.
 */
export async function withNativeThreads<T>(threads: number, fn: () => Promise<T>): Promise<T> {
  const previous = installed?.status.threads;
  if (previous == null || previous === threads) return fn();
  enableNativeMatmul({ threads });
  try {
    return await fn();
  } finally {
    if (installed) enableNativeMatmul({ threads: previous });
  }
}

/** Restores the reference kernels; a no-op when the native path is not active. */
export function disableNativeMatmul(): void {
  if (!installed) return;
  for (const original of installed.originals) {
    tf.unregisterKernel(original.kernelName, original.backendName);
    tf.registerKernel(original);
  }
  installed = null;
}

/** The active status, or null when `enableNativeMatmul` has not enabled the path. */
export function nativeMatmulStatus(): NativeMatmulStatus | null {
  return installed?.status ?? null;
}

/**
 * OpenBLAS' sgemm while the native path is enabled for `backend`, else null: for kernels that run
 * their own loops of small products on Float32Array views (the fused recurrent sequences).
 */
export function nativeSgemm(backend: NativeBackendName): Sgemm | null {
  return installed?.status.backends.includes(backend) ? installed.sgemm : null;
}

/**
 * Whether a batched matmul of [m, k]·[k, n] products on the active backend runs as one SIMD kernel
 * call (small-gemm.ts): wasm with the native path and its SIMD kernels, products under the cut-off.
 * For models that otherwise avoid many tiny products by another formulation.
 */
export function batchedSmallGemmActive(m: number, n: number, k: number): boolean {
  return (
    tf.getBackend() === 'wasm' &&
    nativeSgemm('wasm') !== null &&
    smallGemmFits(m * n * k) &&
    wasmSimd(tf.backend()) !== null
  );
}

/**
 * Runs `fn` with one BLAS thread, then restores the enabled count. For loops of many small
 * products (a [128, 128]·[128, 512] per time step), where waking OpenBLAS' threads on every call
 * costs more than it saves: a 2-layer RNN step measured 163 ms with 2 threads against 46 ms with
 * one. The count is process-wide, like `withNativeThreads`; JavaScript in this thread runs
 * nothing else meanwhile.
 */
export function withOneNativeThread<T>(fn: () => T): T {
  const threads = installed?.status.threads;
  if (threads == null || threads === 1) return fn();
  installed!.setThreads(1);
  try {
    return fn();
  } finally {
    installed?.setThreads(threads);
  }
}

/** How many matmul kernel calls ran natively (and as one batched kernel) and how many fell back, since process start. */
export function nativeMatmulStats(): Readonly<NativeKernelStats> {
  return { ...stats };
}
