import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { opOn, type OpResult } from './backend-op-on.js';

type Case = { shape: number[]; begin: number[]; size: number[]; dtype: 'float32' | 'int32' };

const CASES: Case[] = [
  { shape: [6, 40], begin: [1, 3], size: [4, 30], dtype: 'float32' }, // long rows
  { shape: [6, 40], begin: [0, 39], size: [6, 1], dtype: 'float32' }, // a last-axis column
  { shape: [6, 40], begin: [2, 0], size: [3, 40], dtype: 'float32' }, // contiguous rows
  { shape: [3, 4, 5], begin: [1, 1, 2], size: [2, 3, -1], dtype: 'int32' },
  { shape: [2, 3, 4, 5], begin: [0, 1, 0, 3], size: [2, 2, 4, 2], dtype: 'float32' },
  { shape: [7], begin: [2], size: [4], dtype: 'float32' },
];

/** Values and shape of `tf.slice` on the given backend. */
const sliceOn = (backend: 'cpu' | 'wasm', c: Case): Promise<OpResult> =>
  opOn(backend, { ...c, fill: (i) => (c.dtype === 'int32' ? i : i * 0.5 - 3) }, (x) =>
    tf.slice(x, c.begin, c.size),
  );

describe('wasm Slice reading the heap in place', () => {
  it.each(CASES)('slices $shape at $begin size $size like the cpu backend', async (c) => {
    const expected = await sliceOn('cpu', c);
    expect(await sliceOn('wasm', c)).toEqual(expected);
  });

  it('has a gradient that still lands in the right place', async () => {
    await setBackend('wasm');
    await import('../src/backend/gradients.js').then((m) => m.registerGradients());
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.slice(t, [0, 1], [2, 1]), 3)))(x);
    expect(Array.from(grad.dataSync())).toEqual([0, 3, 0, 0, 3, 0]);
    tf.dispose([x, grad]);
  });
});
