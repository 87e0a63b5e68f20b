/**
 * TSMixerx's fused residual-and-norm against its tf-op composition, LayerNorm_(h,C)(a + b): values
 * and the gradients of all four inputs on cpu and wasm, and no tensors left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { addNorm, addNormReference } from '../src/models/tsmixerx/add-norm.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

const EPS = 1e-5;

/** Value and gradients w.r.t. (a, b, gamma, beta) of Σ w ⊙ op(a, b, gamma, beta). */
function valueAndGrads(
  op: typeof addNorm,
  inputs: { a: tf.Tensor; b: tf.Tensor; gamma: tf.Tensor; beta: tf.Tensor; weights: tf.Tensor },
): Float32Array[] {
  return tf.tidy(() => {
    const { a, b, gamma, beta, weights } = inputs;
    const f = (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(op(x, y, c, d, EPS), weights));
    const { value, grads } = tf.valueAndGrads(f)([a, b, gamma, beta]);
    return [op(a, b, gamma, beta, EPS), value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe.each(['cpu', 'wasm'] as const)('TSMixerx addNorm on %s', (backend) => {
  it.each([
    { name: 'joint (h, C) norm of [B, h, C]', shape: [4, 5, 6], gain: [5, 6] },
    { name: 'last-axis norm of [B, T, C]', shape: [3, 4, 7], gain: [7] },
  ])('matches the composition in value and gradients: $name', async ({ shape, gain }) => {
    await setBackend(backend);
    const inputs = {
      a: seeded(shape, 1),
      b: tf.mul(seeded(shape, 2), 3),
      gamma: tf.add(seeded(gain, 3), 1),
      beta: seeded(gain, 4),
      weights: seeded(shape, 5),
    };
    const before = tf.memory().numTensors;
    const fused = valueAndGrads(addNorm, inputs);
    const reference = valueAndGrads(addNormReference, inputs);
    expect(tf.memory().numTensors).toBe(before);
    const names = ['output', 'loss', 'da', 'db', 'dgamma', 'dbeta'];
    fused.forEach((got, i) => expect(relativeError(got, reference[i]!), names[i]).toBeLessThan(1e-5));
    // The gradient is not trivially zero (a sum-weighted layer norm has non-zero input gradients).
    expect(Math.max(...fused[2]!.map(Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose(Object.values(inputs));
  });
});
