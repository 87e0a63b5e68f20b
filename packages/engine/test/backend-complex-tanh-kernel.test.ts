import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import {
  COMPLEX_TANH,
  complexTanhKernelAvailable,
  setComplexTanhKernelEnabled,
} from '../src/backend/complex-tanh-kernel.js';
import { registerGradients } from '../src/backend/gradients.js';
import { complexTanhRows } from '../src/models/fedformer/complex.js';

/** tanh(a + ib) in float64: (sinh 2a + i·sin 2b)/(cosh 2a + cos 2b), as both parts over cosh 2a. */
const tanhC = (a: number, b: number): [number, number] => {
  const den = 1 + Math.cos(2 * b) / Math.cosh(2 * a);
  return [Math.tanh(2 * a) / den, Math.sin(2 * b) / Math.cosh(2 * a) / den];
};

/**
 * [rows, 2w] with w = 7 (one four-lane step and a three-lane tail per half): real parts over
 * [-6, 6] with tiny ones among them (tanh's cancellation near 0), imaginary parts up to ±300 (the
 * range reduction), kept off tanh's poles.
 */
const W = 7;
const ROWS = 40;
const values = (): number[] =>
  Array.from({ length: ROWS * 2 * W }, (_, i) => {
    const row = Math.floor(i / (2 * W));
    const j = i % (2 * W);
    return Math.fround(
      j < W ? 6 * Math.sin(1.3 * i) * (row % 5 === 0 ? 1e-4 : 1) : 300 * Math.sin(0.7 * i + row),
    );
  });

const reference = <T>(f: () => T): T => {
  setComplexTanhKernelEnabled(false);
  try {
    return f();
  } finally {
    setComplexTanhKernelEnabled(true);
  }
};

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('FEDformer complex tanh as one SIMD kernel on wasm', () => {
  it('is what complexTanhRows runs on wasm for float32 rows of even width', async () => {
    const x = tf.tensor2d([0.5, -1, 0.25, 2], [1, 4]);
    expect(complexTanhKernelAvailable(x)).toBe(true);
    const profile = await tf.profile(() => complexTanhRows(x));
    expect(profile.kernels.map((k) => k.name)).toEqual([COMPLEX_TANH]);
    tf.dispose([x, profile.result as tf.Tensor]);
  });

  it('computes tanh to float32 rounding of its input (as the tensor-op form does), tails and tiny parts included', () => {
    const v = values();
    const x = tf.tensor2d(v, [ROWS, 2 * W]);
    const got = complexTanhRows(x).dataSync();
    const ops = reference(() => complexTanhRows(x).dataSync());
    for (let r = 0; r < ROWS; r++)
      for (let j = 0; j < W; j++) {
        const [i, k] = [r * 2 * W + j, r * 2 * W + W + j];
        const [a, b] = [v[i] as number, v[k] as number];
        const [re, im] = tanhC(a, b);
        // A few float32 ulps of z, times |tanh'(z)| = |1 − w²| (large near tanh's poles).
        const rounding = 2.4e-7 * Math.hypot(1 - re * re + im * im, 2 * re * im) * Math.hypot(a, b);
        expect(Math.abs((got[i] as number) - re)).toBeLessThan(1e-7 + 3e-7 * Math.abs(re) + rounding);
        expect(Math.abs((got[k] as number) - im)).toBeLessThan(1e-7 + 3e-7 * Math.abs(im) + rounding);
        expect(Math.abs((got[i] as number) - (ops[i] as number))).toBeLessThan(1e-6 + 2 * rounding);
        expect(Math.abs((got[k] as number) - (ops[k] as number))).toBeLessThan(1e-6 + 2 * rounding);
      }
    x.dispose();
  });

  it('has the tensor-op form’s gradient within 1e-5 away from the poles, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const v = values().map((x) => Math.fround(x / 20));
    const x = tf.tensor2d(v, [ROWS, 2 * W]);
    const dy = tf.tensor2d(
      v.map((_, i) => 0.5 + Math.cos(i)),
      [ROWS, 2 * W],
    );
    const grad = tf.grad((t: tf.Tensor) => complexTanhRows(t));
    const gradient = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => grad(a, b));
    const [g1, g2] = [gradient(x, dy), reference(() => gradient(x, dy))];
    const [got, want] = [g1.dataSync(), g2.dataSync()];
    let compared = 0;
    for (let r = 0; r < ROWS; r++)
      for (let j = 0; j < W; j++) {
        const [i, k] = [r * 2 * W + j, r * 2 * W + W + j];
        const [re, im] = tanhC(v[i] as number, v[k] as number);
        // Near a pole tanh' is large and both forms round it differently.
        if (Math.hypot(1 - re * re + im * im, 2 * re * im) > 10) continue;
        compared += 1;
        for (const n of [i, k])
          expect(Math.abs((got[n] as number) - (want[n] as number))).toBeLessThan(
            1e-5 * Math.max(1, Math.abs(want[n] as number)),
          );
      }
    expect(compared).toBeGreaterThan(ROWS * W * 0.8);
    tf.dispose([x, dy, g1, g2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
