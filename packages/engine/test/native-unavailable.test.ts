import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { enableNativeMatmul, nativeMatmulStats, nativeMatmulStatus } from '../src/native/index.js';

// Its own file, so its own process: OpenBLAS must not have been loaded by another test first.
describe('enableNativeMatmul where OpenBLAS cannot load', () => {
  it('stays off, names the cause, and the reference kernels keep computing', async () => {
    const status = enableNativeMatmul({ library: '/nonexistent/libopenblas.so.0' });
    expect(status).toMatchObject({ enabled: false, library: null, threads: null, backends: [] });
    // Without koffi the reason names koffi; with it, the library that failed; on a CPU without
    // AVX2 the CPU check says so before any load is tried.
    expect(status.reason).toMatch(/koffi|libopenblas not found.*\/nonexistent\/libopenblas\.so\.0|AVX/);
    expect(nativeMatmulStatus()).toBeNull();
    await tf.setBackend('cpu');
    const before = nativeMatmulStats();
    const y = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()));
    expect(y).toEqual([11]);
    expect(nativeMatmulStats()).toEqual(before);
  });
});
