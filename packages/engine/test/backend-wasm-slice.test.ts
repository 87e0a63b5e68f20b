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
  { shape: [2, 3, 4, 5], begin: [1, 1, 0, 0], size: [1, 2, 4, 5], dtype: 'float32' }, // whole trailing axes: one run
  { shape: [3, 4, 5], begin: [0, 0, 0], size: [3, 4, 5], dtype: 'int32' }, // the whole tensor
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

type SplitCase = { shape: number[]; splits: number | number[]; axis: number; dtype: 'float32' | 'int32' };

const SPLITS: SplitCase[] = [
  { shape: [5, 16], splits: 4, axis: 1, dtype: 'float32' }, // a recurrent step's gate blocks
  { shape: [5, 16], splits: [3, -1, 6], axis: 1, dtype: 'float32' },
  { shape: [6, 3, 4], splits: [1, 5], axis: 0, dtype: 'int32' },
  { shape: [2, 6, 5], splits: 3, axis: -2, dtype: 'float32' },
  { shape: [72, 32], splits: [24, 12, 24, 12], axis: 0, dtype: 'float32' }, // TimeMixer's row batches
];

const UNSTACKS: { shape: number[]; axis: number; dtype: 'float32' | 'int32' }[] = [
  { shape: [4, 5, 3], axis: 1, dtype: 'float32' }, // a window into its steps
  { shape: [4, 5, 3], axis: -1, dtype: 'int32' },
  { shape: [3, 7], axis: 0, dtype: 'float32' },
  { shape: [2, 1, 4], axis: 1, dtype: 'float32' },
];

/** Every piece's shape and values, on one backend. */
const piecesOn = async (
  backend: 'cpu' | 'wasm',
  input: { shape: number[]; dtype: 'float32' | 'int32' },
  op: (x: tf.Tensor) => tf.Tensor[],
): Promise<OpResult[]> => {
  await setBackend(backend);
  const n = input.shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, k) => (input.dtype === 'int32' ? k : k * 0.25 - 2));
  const x = tf.tensor(values, input.shape, input.dtype);
  const pieces = op(x);
  const results = pieces.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) }));
  tf.dispose([x, ...pieces]);
  return results;
};

describe('wasm SplitV and Unpack reading the heap in place', () => {
  it.each(SPLITS)('splits $shape by $splits on axis $axis like the cpu backend', async (c) => {
    const op = (x: tf.Tensor): tf.Tensor[] => tf.split(x, c.splits, c.axis);
    const expected = await piecesOn('cpu', c, op);
    expect(expected.length).toBeGreaterThan(1);
    expect(await piecesOn('wasm', c, op)).toEqual(expected);
  });

  it.each(UNSTACKS)('unstacks $shape on axis $axis like the cpu backend', async (c) => {
    const op = (x: tf.Tensor): tf.Tensor[] => tf.unstack(x, c.axis);
    const expected = await piecesOn('cpu', c, op);
    expect(await piecesOn('wasm', c, op)).toEqual(expected);
  });

  it('runs as the registered kernels, and their gradients land in the right place', async () => {
    await setBackend('wasm');
    const { viewSplitV, viewUnpack } = await import('../src/backend/wasm-slice.js');
    expect(tf.getKernel(tf.SplitV, 'wasm')?.kernelFunc.toString()).toBe(
      viewSplitV(tf.getKernel(tf.SplitV, 'wasm')!).toString(),
    );
    expect(tf.getKernel(tf.Unpack, 'wasm')?.kernelFunc.toString()).toBe(
      viewUnpack(tf.getKernel(tf.Unpack, 'wasm')!).toString(),
    );
    await import('../src/backend/gradients.js').then((m) => m.registerGradients());
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const weighted = (t: tf.Tensor): tf.Scalar => {
      const [a, b] = tf.split(t, [1, 2], 1);
      const rows = tf.unstack(b!, 0);
      return tf.sum(tf.addN([tf.mul(tf.sum(a!), 2), tf.mul(tf.sum(rows[1]!), 5)]));
    };
    const grad = tf.grad(weighted)(x);
    expect(Array.from(grad.dataSync())).toEqual([2, 0, 0, 2, 5, 5]);
    tf.dispose([x, grad]);
  });
});
