/**
 * The fused gate-add-norm against its tf-op composition, LayerNorm(GLU(g) + skip): values and the
 * gradients of all four inputs on cpu and wasm, with one gain and with stacked gains over groups of
 * rows, and no tensors left behind. Widths that are multiples of 4 run wasm's SIMD kernels
 * (kernels.wat), others its JavaScript loops; both are checked, large gate inputs (σ saturating)
 * and many rows per gain (the float64 gain/shift sums) included.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { wasmSimd } from '../src/backend/simd/wasm-simd.js';
import { gatedAddNorm, gatedAddNormReference } from '../src/nn/gated-add-norm.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

const EPS = 1e-3;

/** Value and gradients w.r.t. (g, skip, gamma, beta) of Σ w ⊙ op(g, skip, gamma, beta). */
function valueAndGrads(
  op: typeof gatedAddNorm,
  inputs: { g: tf.Tensor; skip: tf.Tensor; gamma: tf.Tensor; beta: tf.Tensor; weights: tf.Tensor },
): Float32Array[] {
  return tf.tidy(() => {
    const { g, skip, gamma, beta, weights } = inputs;
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(op(a, b, c, d, EPS), weights));
    const { value, grads } = tf.valueAndGrads(f)([g, skip, gamma, beta]);
    return [op(g, skip, gamma, beta, EPS), value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe.each(['cpu', 'wasm'] as const)('gatedAddNorm on %s', (backend) => {
  it.each([
    { name: 'one gain, [B, T, w] rows', lead: [3, 5], gain: [7], scale: 1 },
    { name: 'stacked gains [G, 1, w]', lead: [4, 6], gain: [4, 1, 7], scale: 1 },
    { name: 'one gain, w a multiple of 4', lead: [3, 5], gain: [12], scale: 1 },
    { name: 'stacked gains, w a multiple of 4', lead: [4, 6], gain: [4, 1, 8], scale: 1 },
    { name: 'saturating gates, w a multiple of 4', lead: [2, 3], gain: [16], scale: 60 },
    { name: 'many rows per gain', lead: [2, 3000], gain: [2, 1, 32], scale: 1 },
  ])('matches the composition in value and gradients: $name', async ({ lead, gain, scale }) => {
    await setBackend(backend);
    const w = gain[gain.length - 1]!;
    const inputs = {
      g: tf.tidy(() => tf.mul(seeded([...lead, 2 * w], 1), scale)),
      skip: seeded([...lead, w], 2),
      gamma: tf.add(seeded(gain, 3), 1),
      beta: seeded(gain, 4),
      weights: seeded([...lead, w], 5),
    };
    const before = tf.memory().numTensors;
    const fused = valueAndGrads(gatedAddNorm, inputs);
    const reference = valueAndGrads(gatedAddNormReference, inputs);
    expect(tf.memory().numTensors).toBe(before);
    const names = ['output', 'loss', 'dg', 'dskip', 'dgamma', 'dbeta'];
    fused.forEach((got, i) => expect(relativeError(got, reference[i]!), names[i]).toBeLessThan(1e-5));
    tf.dispose(Object.values(inputs));
  });
});

describe('gatedAddNorm on wasm', () => {
  it('has the SIMD kernels the multiple-of-4 widths above run', async () => {
    await setBackend('wasm');
    expect(wasmSimd(tf.backend())).not.toBeNull();
  });
});
