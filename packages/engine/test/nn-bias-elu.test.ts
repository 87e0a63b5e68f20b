/**
 * The fused ELU(z + bias) against its tf-op composition: values and the gradients of z and the
 * bias on cpu and wasm, without a bias, with one [w] bias and with a bias row per group of rows,
 * widths that run wasm's SIMD kernels (multiples of 4) and ones that run its JavaScript loops, and
 * no tensors left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { wasmSimd } from '../src/backend/simd/wasm-simd.js';
import { biasElu, biasEluReference } from '../src/nn/bias-elu.js';
import { relativeError, seeded } from './models-recurrent-fixtures.js';

/** Value and gradients w.r.t. z (and the bias) of Σ weights ⊙ op(z, bias). */
function valueAndGrads(
  op: typeof biasElu,
  inputs: { z: tf.Tensor; bias?: tf.Tensor; weights: tf.Tensor },
): Float32Array[] {
  return tf.tidy(() => {
    const { z, bias, weights } = inputs;
    const f = (...xs: tf.Tensor[]) => tf.sum(tf.mul(op(xs[0]!, xs[1]), weights));
    const { value, grads } = tf.valueAndGrads(f)(bias ? [z, bias] : [z]);
    return [op(z, bias), value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe.each(['cpu', 'wasm'] as const)('biasElu on %s', (backend) => {
  it.each([
    { name: 'no bias, w a multiple of 4', z: [3, 5, 8], bias: undefined },
    { name: 'one [w] bias', z: [3, 5, 8], bias: [8] },
    { name: 'a bias row per window [B, w]', z: [3, 5, 8], bias: [3, 8] },
    { name: 'stacked [G, 1, w] biases', z: [4, 6, 12], bias: [4, 1, 12] },
    { name: 'odd width (JavaScript loops)', z: [3, 5, 7], bias: [3, 7] },
    { name: 'many rows per bias row', z: [2, 3000, 32], bias: [2, 1, 32] },
  ])('matches the composition in value and gradients: $name', async ({ z, bias }) => {
    await setBackend(backend);
    const inputs = {
      z: seeded(z, 1),
      ...(bias ? { bias: seeded(bias, 2) } : {}),
      weights: seeded(z, 3),
    };
    const before = tf.memory().numTensors;
    const fused = valueAndGrads(biasElu, inputs);
    const reference = valueAndGrads(biasEluReference, inputs);
    expect(tf.memory().numTensors).toBe(before);
    const names = ['output', 'loss', 'dz', 'dbias'];
    fused.forEach((got, i) => expect(relativeError(got, reference[i]!), names[i]).toBeLessThan(1e-5));
    tf.dispose(Object.values(inputs));
  });
});

describe('biasElu on wasm', () => {
  it('has the SIMD backward the multiple-of-4 widths above run', async () => {
    await setBackend('wasm');
    expect(wasmSimd(tf.backend())).not.toBeNull();
  });

  it('keeps NaN as NaN and saturates at −1', async () => {
    await setBackend('wasm');
    const y = biasElu(tf.tensor2d([[NaN, -200, 0, 2]]));
    const values = Array.from(y.dataSync());
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([-1, 0, 2]);
    y.dispose();
  });
});
