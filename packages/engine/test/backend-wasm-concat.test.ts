import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { interleaveRows } from '../src/backend/wasm-concat.js';

type Case = { shapes: number[][]; axis: number; dtype: 'float32' | 'int32' };

const CASES: Case[] = [
  {
    shapes: [
      [4, 6, 1],
      [4, 6, 1],
      [4, 6, 1],
    ],
    axis: 2,
    dtype: 'float32',
  }, // the token embedding's taps
  {
    shapes: [
      [4, 1, 1],
      [4, 6, 1],
      [4, 1, 1],
    ],
    axis: 1,
    dtype: 'float32',
  }, // circular padding
  {
    shapes: [
      [3, 20],
      [3, 5],
      [3, 17],
    ],
    axis: -1,
    dtype: 'float32',
  }, // long and short rows
  {
    shapes: [
      [2, 3],
      [4, 3],
    ],
    axis: 0,
    dtype: 'int32',
  }, // one run each
  {
    shapes: [
      [2, 0, 3],
      [2, 4, 3],
      [2, 1, 3],
    ],
    axis: 1,
    dtype: 'float32',
  }, // an empty input
  { shapes: [[5], [7]], axis: 0, dtype: 'int32' },
];

/** Shape and values of the concat of `c` on one backend (input i holds 100·i + k at flat index k). */
const concatOn = async (backend: 'cpu' | 'wasm', c: Case) => {
  await setBackend(backend);
  const xs = c.shapes.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(
      Array.from({ length: n }, (_, k) => 100 * i + (c.dtype === 'int32' ? k : k * 0.5)),
      shape,
      c.dtype,
    );
  });
  const y = tf.concat(xs, c.axis);
  const result = { shape: y.shape, values: Array.from(y.dataSync()) };
  tf.dispose([...xs, y]);
  return result;
};

describe('wasm Concat copying short rows element by element', () => {
  it.each(CASES)('concatenates $shapes on axis $axis like the cpu backend', async (c) => {
    const expected = await concatOn('cpu', c);
    expect(await concatOn('wasm', c)).toEqual(expected);
  });

  it('interleaves rows of mixed widths', () => {
    const out = new Float32Array(2 * 20);
    const wide = Float32Array.from({ length: 2 * 17 }, (_, k) => 1000 + k);
    interleaveRows([new Float32Array([1, 2, 3, 4]), Float32Array.from([5, 6]), wide], [2, 1, 17], 2, out);
    expect(Array.from(out.subarray(0, 4))).toEqual([1, 2, 5, 1000]);
    expect(Array.from(out.subarray(20, 24))).toEqual([3, 4, 6, 1017]);
    expect(out[39]).toBe(1033);
  });

  it('has gradients that land in each input', async () => {
    await setBackend('wasm');
    await import('../src/backend/gradients.js').then((m) => m.registerGradients());
    const a = tf.tensor3d([1, 2, 3, 4], [2, 2, 1]);
    const b = tf.tensor3d(
      Array.from({ length: 12 }, (_, k) => k),
      [2, 2, 3],
    );
    const weights = tf.tensor3d(
      Array.from({ length: 16 }, (_, k) => k),
      [2, 2, 4],
    );
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 2), weights)))([
      a,
      b,
    ]);
    expect(Array.from(ga!.dataSync())).toEqual([0, 4, 8, 12]);
    expect(Array.from(gb!.dataSync())).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]);
    tf.dispose([a, b, weights, ga!, gb!]);
  });
});
