import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { registerGradients } from '../src/backend/gradients.js';
import { setMaePass } from '../src/losses/mae-pass.js';
import { LOSSES } from '../src/losses/registry.js';

const [B, H] = [7, 12];
const mae = LOSSES.mae.create({});

/** Loss and gradients to yHat and y of MAE over [B, H, 1] with mask `mask`, the pass on or off. */
const run = (on: boolean, y: tf.Tensor3D, yHat: tf.Tensor3D, mask: tf.Tensor3D) => {
  setMaePass(on);
  try {
    const scale = { loc: tf.zeros([B, 1, 1]) as tf.Tensor3D, scale: tf.ones([B, 1, 1]) as tf.Tensor3D };
    const f = (p: tf.Tensor, t: tf.Tensor) =>
      mae.compute({
        y: t as tf.Tensor3D,
        yHat: p as tf.Tensor3D,
        mask,
        scale,
        yInsample: y,
        insampleMask: mask,
      });
    const { value, grads } = tf.valueAndGrads(f)([yHat, y]);
    const result = [value, ...grads].map((t) => Array.from(t.dataSync()));
    tf.dispose([value, ...grads, scale.loc, scale.scale]);
    return result;
  } finally {
    setMaePass(true);
  }
};

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`MAE as one pass each way (${backend})`, () => {
    beforeAll(async () => {
      await registerGradients();
      await setBackend(backend);
    });
    afterAll(async () => {
      await setBackend('cpu');
    });

    // Masks: mixed 0/1 with NaN targets under the zeros; fractional weights; nothing observed.
    const masks: Record<string, (i: number) => number> = {
      'a 0/1 mask': (i) => (i % 5 === 0 ? 0 : 1),
      'fractional weights': (i) => (i % 3) * 0.35,
      'no weight at all': () => 0,
    };
    for (const [label, weight] of Object.entries(masks))
      it(`gives the tensor-op form's gradients exactly and its loss to float32 rounding (${label})`, () => {
        const w = Array.from({ length: B * H }, (_, i) => weight(i));
        const t = Array.from({ length: B * H }, (_, i) =>
          w[i] === 0 && i % 2 === 0 ? NaN : 2 * Math.sin(i),
        );
        // Ties (y = ŷ) at every seventh step: the sign convention of the Abs gradient.
        const p = t.map((v, i) => (i % 7 === 0 && !Number.isNaN(v) ? v : Math.cos(1.7 * i)));
        const y = tf.tensor3d(t, [B, H, 1]);
        const yHat = tf.tensor3d(p, [B, H, 1]);
        const mask = tf.tensor3d(w, [B, H, 1]);
        const before = tf.memory().numTensors;
        const [value, dHat, dY] = run(true, y, yHat, mask);
        expect(tf.memory().numTensors).toBe(before);
        const [refValue, refHat, refY] = run(false, y, yHat, mask);
        expect(Math.abs(value![0]! - refValue![0]!)).toBeLessThanOrEqual(1e-6 * Math.abs(refValue![0]!));
        // 0/1 masks sum exactly in float32, so the gradient is the same float32 operations; other
        // weights' sum differs by rounding (float64 here, a float32 reduction there). ±0 alike.
        const exact = label !== 'fractional weights';
        dHat!.forEach((v, i) =>
          expect(Math.abs(v - refHat![i]!)).toBeLessThanOrEqual(exact ? 0 : 1e-6 * Math.abs(refHat![i]!)),
        );
        // The tensor form's y gradient has NaN where a masked NaN target met a zero (NaN·0); the
        // pass gives 0 there — both reach no variable (targets are data).
        dY!.forEach((v, i) =>
          Number.isNaN(refY![i]!)
            ? expect(w[i]).toBe(0)
            : expect(Math.abs(v - refY![i]!)).toBeLessThanOrEqual(exact ? 0 : 1e-6 * Math.abs(refY![i]!)),
        );
        tf.dispose([y, yHat, mask]);
      });
  });
}
