import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { reduceTranspose, transposeInto } from '../src/backend/wasm-transpose.js';
import { opOn, type OpResult } from './backend-op-on.js';

type Case = { shape: number[]; perm: number[]; dtype: 'float32' | 'int32' };

const CASES: Case[] = [
  { shape: [4, 2, 3, 5, 6], perm: [3, 2, 0, 1, 4], dtype: 'float32' }, // FEDformer's modes per head (rank 4 once merged)
  { shape: [5, 3, 4, 2, 6], perm: [2, 0, 4, 3, 1], dtype: 'float32' }, // back to time: stays rank 5
  { shape: [5, 3, 4, 2, 6], perm: [2, 0, 3, 1, 4], dtype: 'int32' },
  { shape: [2, 3, 1, 4, 5, 2], perm: [5, 3, 1, 0, 4, 2], dtype: 'float32' }, // rank 6 with a size-1 axis
  { shape: [3, 1, 4, 2, 5], perm: [4, 0, 2, 1, 3], dtype: 'float32' },
  { shape: [2, 3, 4, 5], perm: [0, 2, 1, 3], dtype: 'float32' }, // rank 4: the backend's own kernel
  { shape: [2, 3, 4, 5], perm: [2, 3, 0, 1], dtype: 'float32' }, // merges to a 2-D transpose
  { shape: [1, 7, 1], perm: [2, 1, 0], dtype: 'float32' }, // a no-op once size-1 axes go
  { shape: [6, 4], perm: [1, 0], dtype: 'int32' },
];

/** Values and shape of `tf.transpose` on the given backend. */
const transposeOn = (backend: 'cpu' | 'wasm', c: Case): Promise<OpResult> =>
  opOn(backend, { ...c, fill: (i) => (c.dtype === 'int32' ? i : i * 0.5 - 3) }, (x) =>
    tf.transpose(x, c.perm),
  );

describe('reduceTranspose', () => {
  it('merges axes kept adjacent and in order, and drops size-1 axes', () => {
    expect(reduceTranspose([4, 2, 3, 5, 6], [3, 2, 0, 1, 4])).toEqual({
      shape: [8, 3, 5, 6],
      perm: [2, 1, 0, 3],
    });
    expect(reduceTranspose([2, 3, 4, 5], [2, 3, 0, 1])).toEqual({ shape: [6, 20], perm: [1, 0] });
    expect(reduceTranspose([3, 1, 4], [1, 2, 0])).toEqual({ shape: [3, 4], perm: [1, 0] });
    expect(reduceTranspose([2, 1, 3], [0, 2, 1])).toEqual({ shape: [6], perm: [0] });
    expect(reduceTranspose([5, 3, 4, 2, 6], [2, 0, 4, 3, 1])).toEqual({
      shape: [5, 3, 4, 2, 6],
      perm: [2, 0, 4, 3, 1],
    });
  });

  it('leaves the data movement unchanged', () => {
    const shape = [2, 3, 1, 4, 5, 2];
    const perm = [5, 3, 1, 0, 4, 2];
    const x = Float32Array.from({ length: 240 }, (_, i) => i);
    const full = new Float32Array(240);
    const reducedOut = new Float32Array(240);
    transposeInto(x, shape, perm, full);
    const reduced = reduceTranspose(shape, perm);
    transposeInto(x, reduced.shape, reduced.perm, reducedOut);
    expect(Array.from(reducedOut)).toEqual(Array.from(full));
    expect(Array.from(full.slice(0, 6))).toEqual([0, 2, 4, 6, 8, 120]); // x[0, 0, 0, 0, e, 0], then x[1, 0, 0, 0, 0, 0]
  });
});

describe('wasm Transpose over the reduced permutation', () => {
  it.each(CASES)('transposes $shape by $perm like the cpu backend', async (c) => {
    const expected = await transposeOn('cpu', c);
    expect(await transposeOn('wasm', c)).toEqual(expected);
  });

  it('has a gradient that undoes the permutation', async () => {
    await setBackend('wasm');
    await import('../src/backend/gradients.js').then((m) => m.registerGradients());
    const x = tf.tensor(
      Array.from({ length: 120 }, (_, i) => i),
      [2, 3, 2, 5, 2],
    );
    const weights = tf.tensor(
      Array.from({ length: 120 }, (_, i) => (i % 7) - 3),
      [5, 2, 2, 2, 3],
    );
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.transpose(t, [3, 0, 4, 2, 1]), weights)))(x);
    const expected = tf.transpose(weights, [1, 4, 3, 0, 2]);
    expect(Array.from(grad.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, weights, grad, expected]);
  });
});
