import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import type { Sgemm } from '../src/native/openblas.js';
import {
  sizeAwareSgemm,
  sizeAwareSgemv,
  THREADED_GEMM_MIN_MACS,
  threadedGemmMinMacs,
} from '../src/native/size-aware-sgemm.js';

type Call = Parameters<Sgemm>[0];
const product = (m: number, n: number, k: number): Call => ({
  transA: false,
  transB: false,
  m,
  n,
  k,
  a: new Float32Array(m * k),
  lda: k,
  b: new Float32Array(k * n),
  ldb: n,
  beta: 0,
  c: new Float32Array(m * n),
  ldc: n,
});

/** A BLAS double that records the thread count each product ran with and every count change. */
const fakeBlas = (threads: number, fail = false) => {
  const state = { threads, ranWith: [] as number[], sets: [] as number[] };
  return {
    state,
    blas: {
      sgemm: () => {
        state.ranWith.push(state.threads);
        if (fail) throw new Error('sgemm failed');
      },
      sgemv: () => {
        state.ranWith.push(state.threads);
        if (fail) throw new Error('sgemv failed');
      },
      setThreads: (t: number) => {
        state.sets.push(t);
        state.threads = t;
      },
      getThreads: () => state.threads,
    },
  };
};

describe('sizeAwareSgemm', () => {
  it('runs a product below the cut-off on one thread and restores the count', () => {
    const { state, blas } = fakeBlas(2);
    sizeAwareSgemm(blas, 1000)(product(9, 10, 11));
    expect(state.ranWith).toEqual([1]);
    expect(state.threads).toBe(2);
  });

  it('leaves a product at or above the cut-off on every thread, without touching the count', () => {
    const { state, blas } = fakeBlas(2);
    sizeAwareSgemm(blas, 1000)(product(10, 10, 10));
    expect(state.ranWith).toEqual([2]);
    expect(state.sets).toEqual([]);
  });

  it('keeps a count a caller already lowered to one (withOneNativeThread)', () => {
    const { state, blas } = fakeBlas(1);
    sizeAwareSgemm(blas, 1000)(product(2, 2, 2));
    expect(state.ranWith).toEqual([1]);
    expect(state.sets).toEqual([]);
  });

  it('restores the count when the product throws', () => {
    const { state, blas } = fakeBlas(4, true);
    expect(() => sizeAwareSgemm(blas, 1000)(product(2, 2, 2))).toThrow('sgemm failed');
    expect(state.threads).toBe(4);
  });

  it('with a cut-off of 0 leaves every product to OpenBLAS', () => {
    const { state, blas } = fakeBlas(2);
    sizeAwareSgemm(blas, 0)(product(1, 1, 1));
    expect(state.ranWith).toEqual([2]);
  });
});

/** y = Aᵀ·x over a [rows, cols] matrix. */
const matrixVector = (rows: number, cols: number) => ({
  trans: true,
  rows,
  cols,
  a: new Float32Array(rows * cols),
  x: new Float32Array(rows),
  beta: 0,
  y: new Float32Array(cols),
});

describe('sizeAwareSgemv', () => {
  it('runs a matrix below the cut-off on one thread and restores the count', () => {
    const { state, blas } = fakeBlas(2);
    sizeAwareSgemv(blas, 1000)(matrixVector(36, 27));
    expect(state.ranWith).toEqual([1]);
    expect(state.threads).toBe(2);
  });

  it('leaves a matrix at or above the cut-off on every thread', () => {
    const { state, blas } = fakeBlas(2);
    sizeAwareSgemv(blas, 1000)(matrixVector(100, 10));
    expect(state.ranWith).toEqual([2]);
    expect(state.sets).toEqual([]);
  });

  it('restores the count when the product throws', () => {
    const { state, blas } = fakeBlas(2, true);
    expect(() => sizeAwareSgemv(blas, 1000)(matrixVector(2, 2))).toThrow('sgemv failed');
    expect(state.threads).toBe(2);
  });
});

describe('threadedGemmMinMacs', () => {
  it('defaults to THREADED_GEMM_MIN_MACS and reads NFLAB_THREADED_GEMM_MIN_MACS', () => {
    expect(threadedGemmMinMacs({})).toBe(THREADED_GEMM_MIN_MACS);
    expect(threadedGemmMinMacs({ NFLAB_THREADED_GEMM_MIN_MACS: '0' })).toBe(0);
    expect(threadedGemmMinMacs({ NFLAB_THREADED_GEMM_MIN_MACS: '4194304' })).toBe(4194304);
  });

  it.each(['-1', '1.5', 'many'])('refuses %s, naming the variable', (raw) => {
    expect(() => threadedGemmMinMacs({ NFLAB_THREADED_GEMM_MIN_MACS: raw })).toThrow(ConfigError);
    expect(() => threadedGemmMinMacs({ NFLAB_THREADED_GEMM_MIN_MACS: raw })).toThrow(
      /NFLAB_THREADED_GEMM_MIN_MACS must be a non-negative integer/,
    );
  });
});
