import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { REDUCTION_GRADIENTS } from '../src/backend/reduction-gradients.js';

type Case = { shape: number[]; axis: number | number[]; keepDims: boolean };

const CASES: Case[] = [
  { shape: [6, 5], axis: 1, keepDims: true }, // a layer norm's moments
  { shape: [6, 5], axis: 0, keepDims: false }, // a bias gradient
  { shape: [3, 4, 2], axis: [0, 2], keepDims: false },
  { shape: [3, 4, 2], axis: -2, keepDims: true },
  { shape: [7], axis: 0, keepDims: false },
];

/** dy with a distinct, non-dyadic value per output element, so a wrong broadcast cannot pass. */
const seedFor = (out: number[]) => {
  const n = out.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, (_, i) => 0.3 + i * 0.7),
    out,
  );
};

/** Expected dL/dx of Σ(dy · reduce(x)), in plain arithmetic: dy broadcast back, / n for the mean. */
const expected = (c: Case, dy: number[], mean: boolean): number[] => {
  const rank = c.shape.length;
  const axes = (typeof c.axis === 'number' ? [c.axis] : c.axis).map((a) => (a < 0 ? a + rank : a));
  const size = c.shape.reduce((a, b) => a * b, 1);
  const reduced = axes.reduce((p, a) => p * (c.shape[a] as number), 1);
  const kept = c.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return Array.from({ length: size }, (_, flat) => {
    // x's multi-index -> the index into dy (reduced axes at 0).
    let rest = flat;
    const index = c.shape.map(() => 0);
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = rest % (c.shape[i] as number);
      rest = Math.floor(rest / (c.shape[i] as number));
    }
    let at = 0;
    for (let i = 0; i < rank; i++)
      at = at * (kept[i] as number) + (axes.includes(i) ? 0 : (index[i] as number));
    const g = dy[at] as number;
    return mean ? Math.fround(Math.fround(g) / reduced) : Math.fround(g);
  });
};

afterAll(async () => {
  await setBackend('cpu');
});

describe('Sum and Mean gradients with backend-made ones', () => {
  it('replace tfjs-core’s registrations', async () => {
    await registerGradients();
    expect(tf.getGradient(tf.Sum)).toBe(REDUCTION_GRADIENTS[0]);
    expect(tf.getGradient(tf.Mean)).toBe(REDUCTION_GRADIENTS[1]);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const mean of [false, true]) {
      it.each(CASES)(
        `${backend} ${mean ? 'mean' : 'sum'} over $axis of $shape (keepDims $keepDims): dy broadcast back${mean ? ' / n' : ''}`,
        async (c) => {
          await registerGradients();
          await setBackend(backend);
          const before = tf.memory().numTensors;
          const x = tf.randomNormal(c.shape, 0, 1, 'float32', 7);
          const reduce = (t: tf.Tensor) =>
            mean ? tf.mean(t, c.axis, c.keepDims) : tf.sum(t, c.axis, c.keepDims);
          const y = reduce(x);
          const dy = seedFor(y.shape);
          y.dispose();
          const dx = tf.grad(reduce)(x, dy);
          expect(dx.shape).toEqual(c.shape);
          expect(Array.from(dx.dataSync())).toEqual(expected(c, Array.from(dy.dataSync()), mean));
          tf.dispose([x, dy, dx]);
          expect(tf.memory().numTensors).toBe(before);
        },
      );
    }
  }
});
