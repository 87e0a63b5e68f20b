import { ConfigError } from '@nflab/contracts';
import type { OpenBlas, Sgemm, Sgemv } from './openblas.js';

/**
 * Products below this many multiply-adds run on one BLAS thread. OpenBLAS hands anything above its
 * own small cut-off (about 262k) to its thread pool, and waking the pool costs more than a second
 * core saves on the mid-sized products most models run: `bench/blas-threads.ts` measures the
 * crossover (results in bench/results/blas-threads.json). Switching the count costs ~0.1 µs.
 */
export const THREADED_GEMM_MIN_MACS = 2 ** 24;

type ThreadControl = Pick<OpenBlas, 'setThreads' | 'getThreads'>;

/**
 * Runs `call` on one BLAS thread when `macs` is below `minMacs`, else on the current count. The
 * count is read at each call, so a caller that has already chosen one thread
 * (`withOneNativeThread`) or another count keeps it.
 */
function runSized(blas: ThreadControl, minMacs: number, macs: number, call: () => void): void {
  if (macs >= minMacs) return call();
  const threads = blas.getThreads();
  if (threads === 1) return call();
  blas.setThreads(1);
  try {
    call();
  } finally {
    blas.setThreads(threads);
  }
}

/** `blas.sgemm`, run on one thread when the product is smaller than `minMacs` multiply-adds. */
export function sizeAwareSgemm(
  blas: Pick<OpenBlas, 'sgemm'> & ThreadControl,
  minMacs = THREADED_GEMM_MIN_MACS,
): Sgemm {
  return (call) => runSized(blas, minMacs, call.m * call.n * call.k, () => blas.sgemm(call));
}

/**
 * `blas.sgemv`, run on one thread when the matrix has fewer than `minMacs` elements. OpenBLAS
 * threads a gemv from ~9k elements, so every bias gradient of a [2304, 32] layer output (a Sum
 * over the batch) woke the pool: in TimeMixer's step those Sums took a third of the CPU time.
 */
export function sizeAwareSgemv(
  blas: Pick<OpenBlas, 'sgemv'> & ThreadControl,
  minMacs = THREADED_GEMM_MIN_MACS,
): Sgemv {
  return (call) => runSized(blas, minMacs, call.rows * call.cols, () => blas.sgemv(call));
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
