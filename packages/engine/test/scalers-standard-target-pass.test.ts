import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { setStandardTargetPass } from '../src/scalers/standard-target-pass.js';
import { prepareBatch } from '../src/training/prepare-batch.js';
import type { RawWindows } from '../src/windows/assemble.js';

const [B, L, H] = [6, 24, 12];

/**
 * Windows covering the guards: 0 fully observed, 1 partly masked with NaN under its mask, 2
 * nothing observed (loc 0, scale 1 + eps), 3 constant (std 0), 4 large values, 5 one observed value.
 */
const raw = (): RawWindows => {
  const y: number[] = [];
  const mask: number[] = [];
  for (let b = 0; b < B; b++)
    for (let t = 0; t < L; t++) {
      const observed = b === 2 ? false : b === 1 ? t % 3 !== 0 : b === 5 ? t === L - 1 : true;
      mask.push(observed ? 1 : 0);
      const v = b === 3 ? 7 : b === 4 ? 5e4 + 300 * Math.sin(t) : 10 * Math.sin(0.7 * t + b) + b;
      y.push(b === 1 && !observed ? NaN : v);
    }
  const future = Array.from(
    { length: B * H },
    (_, i) => 3 * Math.cos(i) + (Math.floor(i / H) === 4 ? 5e4 : 0),
  );
  return {
    insampleY: tf.tensor3d(y, [B, L, 1]),
    insampleMask: tf.tensor3d(mask, [B, L, 1]),
    outsampleY: tf.tensor3d(future, [B, H, 1]),
    outsampleMask: tf.ones([B, H, 1]),
  };
};

const prepared = (on: boolean, windows: RawWindows) => {
  setStandardTargetPass(on);
  try {
    return tf.tidy(() => {
      const p = prepareBatch(windows, { scalerType: 'standard', excludeInsampleY: false });
      return [p.scale.loc, p.scale.scale, p.insampleScaled, p.outsampleScaled, p.batch.insampleY];
    });
  } finally {
    setStandardTargetPass(true);
  }
};

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`standard scaling of the target in one pass (${backend})`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });
    afterAll(async () => {
      await setBackend('cpu');
    });

    it('matches the tensor-op scaler to float32 rounding, guards and NaN under the mask included', () => {
      const windows = raw();
      const before = tf.memory().numTensors;
      const fast = prepared(true, windows);
      const ops = prepared(false, windows);
      // Four tensors each (the model input is the scaled input itself).
      expect(tf.memory().numTensors).toBe(before + 8);
      const names = ['loc', 'scale', 'insampleScaled', 'outsampleScaled', 'batch.insampleY'];
      const [locOps, scaleOps] = [ops[0]!.dataSync(), ops[1]!.dataSync()];
      fast.forEach((t, k) => {
        const a = t.dataSync();
        const b = ops[k]!.dataSync();
        const per = a.length / B;
        expect(t.shape, names[k]).toEqual(ops[k]!.shape);
        a.forEach((v, i) => {
          const w = b[i] as number;
          const window = Math.floor(i / per);
          // Scaled values inherit the statistics' rounding (float32 sums in the tensor form) in
          // units of loc / scale: large-level windows (4) differ by ~1e-5 there.
          const level = k < 2 ? 0 : Math.abs(locOps[window]!) / scaleOps[window]!;
          if (Number.isNaN(w)) expect(v, `${names[k]}[${i}]`).toBeNaN();
          else
            expect(Math.abs(v - w), `${names[k]}[${i}]`).toBeLessThanOrEqual(
              2e-6 * (Math.max(1, Math.abs(w)) + level),
            );
        });
      });
      const [loc, scale] = fast.map((t) => t.dataSync());
      expect(loc![2]).toBe(0); // nothing observed
      expect(scale![2]).toBeCloseTo(1 + 1e-6, 7);
      expect(scale![3]).toBeCloseTo(1 + 1e-6, 7); // constant window
      expect(loc![3]).toBe(7);
      tf.dispose([...fast, ...ops, ...Object.values(windows)]);
    });
  });
}
