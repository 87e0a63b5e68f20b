import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { maskedMedian } from '../src/scalers/masked-stats.js';

// The lab trains on wasm by default; its kernels differ from cpu's in output dtypes (FloorDiv of
// int32 gives float32 there), which broke the robust scaler only on wasm.
describe('masked median on the wasm backend', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });

  it('takes the lower median of the observed values, as on cpu', () => {
    const x = tf.tensor3d([
      [[1], [5], [3], [4]],
      [[2], [9], [7], [0]],
    ]);
    const mask = tf.tensor3d([
      [[1], [1], [1], [1]],
      [[1], [1], [1], [0]],
    ]);
    expect(Array.from(maskedMedian(x, mask).dataSync())).toEqual([3, 7]);
  });
});
