import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { bSplineBasis, uniformKnots } from '../src/models/kan/bspline.js';
import { BSPLINE_BASIS, splineBases } from '../src/models/kan/bspline-kernel.js';

/** [rows, cols] inputs over and beyond the grid, with every knot itself among them. */
const inputs = (knots: readonly number[], rows: number, cols: number): tf.Tensor2D => {
  const spread = Array.from({ length: rows * cols }, (_, i) => 2.6 * Math.sin(i * 0.7311 + 0.2));
  knots.forEach((t, i) => (spread[i] = t));
  return tf.tensor2d(spread, [rows, cols]);
};

/** Largest |a - b| over two tensors. */
const maxDiff = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

beforeAll(async () => {
  await registerGradients();
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('KAN B-spline bases as one kernel', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [grid, order] of [
      [5, 3],
      [3, 1],
      [4, 2],
      [4, 0],
    ] as const) {
      it(`${backend}, grid ${grid}, order ${order}: the op form's bases and gradient`, async () => {
        await setBackend(backend);
        const before = tf.memory().numTensors;
        const knots = uniformKnots(grid, order, [-1, 1]);
        const x = inputs(knots, 40, 7);
        const dy = tf.randomNormal([40, 7, grid + order], 0, 1, 'float32', 11);
        const want = bSplineBasis(x, knots, order);
        const got = splineBases(x, knots, order);
        expect(got.shape).toEqual(want.shape);
        expect(maxDiff(got, want)).toBeLessThan(3e-7);
        const gradOf = (f: typeof splineBases) =>
          tf.grad((t: tf.Tensor) => f(t as tf.Tensor2D, knots, order));
        const wantGrad = gradOf(bSplineBasis)(x, dy);
        const gotGrad = gradOf(splineBases)(x, dy);
        const scale = Math.max(
          1,
          tf.tidy(() => tf.max(tf.abs(wantGrad)).dataSync()[0] as number),
        );
        expect(maxDiff(gotGrad, wantGrad)).toBeLessThan(1e-6 * scale);
        if (order > 0) expect(scale).toBeGreaterThan(1); // the gradient is not trivially zero
        tf.dispose([x, dy, want, got, wantGrad, gotGrad]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }

    it(`${backend}: is the kernel that runs, and NaN stays NaN`, async () => {
      await setBackend(backend);
      const knots = uniformKnots(5, 3, [-1, 1]);
      const x = tf.tensor2d([0.25, NaN, 7], [1, 3]);
      const profile = await tf.profile(() => splineBases(x, knots, 3));
      expect(profile.kernels.map((k) => k.name)).toEqual([BSPLINE_BASIS]);
      const values = Array.from((profile.result as tf.Tensor).dataSync());
      expect(values.slice(8, 16).every(Number.isNaN)).toBe(true); // NaN in, NaN bases out
      expect(values.slice(16)).toEqual(new Array(8).fill(0)); // beyond the grid: no basis
      expect(values.slice(0, 8).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6); // partition of unity
      tf.dispose([x, profile.result as tf.Tensor]);
    });
  }
});
