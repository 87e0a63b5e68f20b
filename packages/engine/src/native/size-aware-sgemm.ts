import { ConfigError } from '@nflab/contracts';
import type { OpenBlas, Sgemm } from './openblas.js';

/**
 * Products below this many multiply-adds run on one BLAS thread. OpenBLAS hands anything above its
 * own small cut-off (about 262k) to its thread pool, and waking the pool costs more than a second
 * core saves on the mid-sized products most models run: `bench/blas-threads.ts` measures the
 * crossover (results in bench/results/blas-threads.json). Switching the count costs ~0.1 µs.
 */
export const THREADED_GEMM_MIN_MACS = 2 ** 24;

/**
 * `blas.sgemm`, run on one thread when the product is smaller than `minMacs` multiply-adds and
 * on the process' current count otherwise. The count is read at each call, so a caller that has
 * already chosen one thread (`withOneNativeThread`) or another count keeps it.
 */
export function sizeAwareSgemm(
  blas: Pick<OpenBlas, 'sgemm' | 'setThreads' | 'getThreads'>,
  minMacs = THREADED_GEMM_MIN_MACS,
): Sgemm {
  return (call) => {
    if (call.m * call.n * call.k >= minMacs) return blas.sgemm(call);
    const threads = blas.getThreads();
    if (threads === 1) return blas.sgemm(call);
    blas.setThreads(1);
    try {
      blas.sgemm(call);
    } finally {
      blas.setThreads(threads);
    }
  };
}

/**
 * The multiply-adds from which a product uses every BLAS thread: `NFLAB_THREADED_GEMM_MIN_MACS`
 * (0: every product on all threads, as OpenBLAS alone would decide; for machines with another
 * crossover), else `THREADED_GEMM_MIN_MACS`.
 */
export function threadedGemmMinMacs(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.NFLAB_THREADED_GEMM_MIN_MACS;
  if (raw === undefined || raw === '') return THREADED_GEMM_MIN_MACS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(
      `NFLAB_THREADED_GEMM_MIN_MACS must be a non-negative integer (multiply-adds), got '${raw}'`,
    );
  }
  return value;
}
