/**
 * BiTCN's fused GELU-then-dropout kernels on wasm against the composition dropout(gelu(x)): the same
 * mask from the same seed, the same output and input gradient bit for bit (the same float
 * operations in the same order), odd sizes through the scalar tail, no tensors left behind; and the
 * composition itself at inference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { geluDropout } from '../src/models/bitcn/gelu-dropout.js';
import { gelu } from '../src/nn/activations.js';
import { dropout } from '../src/nn/dropout.js';
import type { ForwardContext } from '../src/nn/forward-context.js';
import { seeded } from './models-recurrent-fixtures.js';

/** A training context whose seeds repeat: 11, 12, … */
const context = (training = true): ForwardContext => {
  let seed = 10;
  return { training, nextSeed: () => (seed += 1) };
};

/** Output and input gradient of Σ w ⊙ op(x). */
const valueAndGrad = (op: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor): Float32Array[] =>
  tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(op(t), w)))([x]);
    return [op(x), value, grads[0]!].map((t) => t.dataSync() as Float32Array);
  });

describe('BiTCN geluDropout on wasm', () => {
  it.each([
    { name: '[64, 24, 16] (whole SIMD lanes)', shape: [64, 24, 16] },
    { name: '[3, 5, 7] (a scalar tail)', shape: [3, 5, 7] },
  ])('equals dropout(gelu(x)) bit for bit, value and gradient: $name', async ({ shape }) => {
    await setBackend('wasm');
    const x = tf.mul(seeded(shape, 1), 4); // spans both tails of Φ
    const w = seeded(shape, 2);
    const before = tf.memory().numTensors;
    // Each op gets its own context so both draw seed 11 for their mask (one draw per call).
    const fused = valueAndGrad((t) => geluDropout(t, 0.5, context()), x, w);
    const reference = valueAndGrad((t) => dropout(gelu(t), 0.5, context()), x, w);
    expect(tf.memory().numTensors).toBe(before);
    const names = ['output', 'loss', 'dx'];
    fused.forEach((got, i) => expect(Array.from(got), names[i]).toEqual(Array.from(reference[i]!)));
    // The mask drops about half the elements and keeps the rest scaled by 2.
    const kept = fused[0]!.filter((v) => v !== 0).length / fused[0]!.length;
    expect(kept).toBeGreaterThan(0.3);
    expect(kept).toBeLessThan(0.7);
    tf.dispose([x, w]);
  });

  it('is plain GELU at inference and at rate 0', async () => {
    await setBackend('wasm');
    const x = seeded([4, 6], 3);
    const want = Array.from(gelu(x).dataSync());
    expect(Array.from(geluDropout(x, 0.5, context(false)).dataSync())).toEqual(want);
    expect(Array.from(geluDropout(x, 0, context()).dataSync())).toEqual(want);
    x.dispose();
  });
});
