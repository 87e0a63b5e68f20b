/**
 * The scaled softmax's one-kernel backward (nn/scaled-softmax.ts) against TensorFlow.js' ops:
 * the same weights, and gradients within float32 rounding, on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { scaledSoftmax, setFusedSoftmaxBackward } from '../src/nn/scaled-softmax.js';

/** Weights and the gradient of Σ w·softmax(scale·x) (w fixed, varied) with the fused backward on or off. */
const run = (fused: boolean, shape: number[], scale: number) => {
  setFusedSoftmaxBackward(fused);
  const n = shape.reduce((p, d) => p * d, 1);
  const x = tf.tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 4),
    shape,
  );
  const w = tf.tensor(
    Array.from({ length: n }, (_, i) => Math.cos(i * 0.3)),
    shape,
  );
  const y = scaledSoftmax(x, scale);
  const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(scaledSoftmax(t, scale), w)))(x);
  const result = { y: Array.from(y.dataSync()), grad: Array.from(grad.dataSync()) };
  tf.dispose([x, w, y, grad]);
  setFusedSoftmaxBackward(true);
  return result;
};

describe.each(['cpu', 'wasm'] as const)('scaled softmax on %s', (backend) => {
  it.each([
    { shape: [6, 24, 24], scale: 1 / Math.sqrt(32) }, // VanillaTransformer's scores
    { shape: [4, 3, 16, 3], scale: 1 }, // PatchTST's, scaled through the queries
    { shape: [5, 7], scale: 0.5 },
  ])('matches the ops for $shape at scale $scale, gradients too', async ({ shape, scale }) => {
    await setBackend(backend);
    const fused = run(true, shape, scale);
    const ops = run(false, shape, scale);
    expect(fused.y).toEqual(ops.y);
    fused.grad.forEach((g, i) => expect(g).toBeCloseTo(ops.grad[i]!, 6));
    // Each row of the gradient sums to 0 (the softmax is shift-invariant).
    const width = shape[shape.length - 1]!;
    for (let r = 0; r < fused.grad.length; r += width)
      expect(fused.grad.slice(r, r + width).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
  });
});
