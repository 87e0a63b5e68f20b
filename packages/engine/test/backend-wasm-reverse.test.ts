import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { reverseMiddle, reverseRows } from '../src/backend/wasm-reverse.js';
import { opOn, type OpResult } from './backend-op-on.js';

type Case = { shape: number[]; dims: number | number[]; dtype: 'float32' | 'int32' };

const CASES: Case[] = [
  { shape: [4, 7], dims: 1, dtype: 'float32' }, // the last axis: read in place
  { shape: [4, 7], dims: -1, dtype: 'int32' },
  { shape: [2, 3, 5], dims: [2], dtype: 'float32' },
  { shape: [9], dims: 0, dtype: 'float32' },
  { shape: [4, 7], dims: 0, dtype: 'float32' }, // another axis: runs of the axes after it
  { shape: [3, 4, 2, 5], dims: 2, dtype: 'float32' },
  { shape: [3, 4, 2, 5], dims: [-3], dtype: 'int32' },
  { shape: [2, 3, 40, 70], dims: 1, dtype: 'float32' }, // runs of 64 and more: copied as views
  { shape: [2, 3, 5], dims: [0, 2], dtype: 'float32' }, // several axes: the backend's own kernel
];

const reverseOn = (backend: 'cpu' | 'wasm', c: Case): Promise<OpResult> =>
  opOn(backend, { ...c, fill: (i) => (c.dtype === 'int32' ? i : i * 0.25 - 2) }, (x) =>
    tf.reverse(x, c.dims),
  );

afterAll(async () => {
  await setBackend('cpu');
});

describe('wasm Reverse of one axis in place', () => {
  it.each(CASES)('reverses $shape along $dims like the cpu backend', async (c) => {
    const expected = await reverseOn('cpu', c);
    expect(await reverseOn('wasm', c)).toEqual(expected);
  });

  it('reverses each row', () => {
    const out = new Float32Array(6);
    reverseRows(new Float32Array([1, 2, 3, 4, 5, 6]), out, 3);
    expect(Array.from(out)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('reverses the middle of [outer, n, inner] by runs of inner', () => {
    const out = new Float32Array(8);
    reverseMiddle(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), out, 2, 2);
    expect(Array.from(out)).toEqual([3, 4, 1, 2, 7, 8, 5, 6]);
  });

  it('has a gradient that lands reversed', async () => {
    await setBackend('wasm');
    await import('../src/backend/gradients.js').then((m) => m.registerGradients());
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const weights = tf.tensor2d([1, 10, 100, 1, 10, 100], [2, 3]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reverse(t, 1), weights)))(x);
    expect(Array.from(grad.dataSync())).toEqual([100, 10, 1, 100, 10, 1]);
    tf.dispose([x, weights, grad]);
  });
});
