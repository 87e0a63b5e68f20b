import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { MIXTURE, mixtureKernelAvailable, setMixtureKernelEnabled } from '../src/backend/mixture-kernel.js';
import { weightedMixture } from '../src/models/deepnpts/mixture.js';

const reference = <T>(f: () => T): T => {
  setMixtureKernelEnabled(false);
  try {
    return f();
  } finally {
    setMixtureKernelEnabled(true);
  }
};

/** Scores of spread ±8 (one row with a dominant score, one of equal ones) and window values. */
const inputs = (B: number, L: number, H: number): { scores: tf.Tensor2D; y: tf.Tensor3D } => {
  const s = Array.from({ length: B * L * H }, (_, i) => 8 * Math.sin(0.37 * i + 0.1 * Math.floor(i / H)));
  for (let i = 0; i < L * H; i++) s[i] = 0; // row 0: uniform weights
  s[L * H + 5] = 60; // row 1: one weight ~1 in column 5
  const y = Array.from({ length: B * L }, (_, i) => 3 * Math.cos(0.91 * i) + 1);
  return { scores: tf.tensor2d(s, [B, L * H]), y: tf.tensor3d(y, [B, L, 1]) };
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

beforeAll(async () => {
  await registerGradients();
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

describe('DeepNPTS weighted mixture as one SIMD kernel on wasm', () => {
  it('runs as the kernel on wasm', async () => {
    const { scores, y } = inputs(2, 3, 4);
    expect(mixtureKernelAvailable(scores, y)).toBe(true);
    const profile = await tf.profile(() => weightedMixture(scores, y, 4));
    expect(profile.kernels.map((k) => k.name)).toContain(MIXTURE);
    expect(profile.kernels.map((k) => k.name)).not.toContain('Softmax');
    tf.dispose([scores, y, profile.result as tf.Tensor]);
  });

  // H 12 is three full lane groups (DeepNPTS' yardstick); 7 and 3 exercise the one-lane tail.
  for (const [B, L, H] of [
    [9, 24, 12],
    [5, 11, 7],
    [4, 6, 3],
  ] as const) {
    it(`matches the tensor-op form to float32 rounding, gradients included (B ${B}, L ${L}, H ${H})`, () => {
      const { scores, y } = inputs(B, L, H);
      const target = tf.randomNormal([B, H, 1], 0, 1, 'float32', 7);
      const run = () => {
        const f = (s: tf.Tensor, v: tf.Tensor) =>
          tf.sum(tf.mul(weightedMixture(s as tf.Tensor2D, v as tf.Tensor3D, H), target));
        const out = weightedMixture(scores, y, H);
        const [ds, dy] = tf.grads(f)([scores, y]);
        const result = [out, ds, dy].map((t) => t!.dataSync());
        tf.dispose([out, ds!, dy!]);
        return result;
      };
      const before = tf.memory().numTensors;
      const [out, ds, dy] = run();
      expect(tf.memory().numTensors).toBe(before);
      const [refOut, refDs, refDy] = reference(run);
      expect(out!.length).toBe(B * H);
      expect(maxDiff(out!, refOut!)).toBeLessThan(2e-6);
      expect(maxDiff(ds!, refDs!)).toBeLessThan(2e-6);
      expect(maxDiff(dy!, refDy!)).toBeLessThan(2e-6);
      // Uniform weights in row 0: the mean of its values.
      const mean = (y.dataSync().slice(0, L) as Float32Array).reduce((a, v) => a + v, 0) / L;
      expect(Math.abs((out![0] as number) - mean)).toBeLessThan(2e-6);
      tf.dispose([scores, y, target]);
    });
  }
});
