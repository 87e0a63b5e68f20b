import * as tf from '@tensorflow/tfjs-core';
// Registers the gradient functions tf.grad needs (the engine registers them when models load).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { pool1d } from '../src/models/nhits/pooling.js';

/** d sum(pool1d(x)) / dx for one row. */
const maxPoolGrad = (values: number[], kernel: number): number[] => {
  const x = tf.tensor3d([[values]]);
  const grad = tf.grad((t: tf.Tensor) => tf.sum(pool1d(t as tf.Tensor3D, kernel, 'MaxPool1d')))(x);
  const out = Array.from(grad.dataSync());
  tf.dispose([x, grad]);
  return out;
};

beforeAll(async () => {
  await setBackend('wasm');
});

describe('NHITS max pooling gradient (PyTorch MaxPool1d, ceil_mode=True)', () => {
  it('routes each window gradient to its maximum, the short last window included', () => {
    expect(maxPoolGrad([1, 3, 3, 2, 5], 2)).toEqual([0, 1, 1, 0, 1]);
    expect(maxPoolGrad([4, 1, 2, 0, 9, 7, 8], 3)).toEqual([1, 0, 0, 0, 1, 0, 1]);
  });

  it('gives a tie to the first maximum only, as PyTorch does', () => {
    expect(maxPoolGrad([2, 2, 1, 1, 3], 2)).toEqual([1, 0, 1, 0, 1]);
    expect(maxPoolGrad([5, 5, 5], 3)).toEqual([1, 0, 0]);
  });
});
