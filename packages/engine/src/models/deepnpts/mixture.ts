/** DeepNPTS' output: a softmax-weighted mixture of the input window's values, one weight vector per horizon step. */
import * as tf from '@tensorflow/tfjs-core';
import { mixtureKernel, mixtureKernelAvailable } from '../../backend/mixture-kernel.js';

/**
 * Turns the network's `[B, L*H]` scores into weights over the L window values for each of the H
 * steps (softmax over the window axis) and returns `Σ_l w[b, l, j] · y[b, l]` as `[B, H, 1]`.
 * Scores are laid out `[l * H + j]`, as NeuralForecast's `reshape(B, L, h)`. On wasm this is one
 * SIMD kernel each way (backend/mixture-kernel.ts); elsewhere, tensor ops.
 */
export function weightedMixture(scores: tf.Tensor2D, insampleY: tf.Tensor3D, h: number): tf.Tensor3D {
  if (mixtureKernelAvailable(scores, insampleY)) return mixtureKernel(scores, insampleY);
  return tf.tidy(() => {
    const [B, L] = insampleY.shape;
    const weights = tf.softmax(tf.transpose(tf.reshape(scores, [B, L, h]), [0, 2, 1])); // [B, L*H] -> [B, H, L], softmax over L
    const y = tf.reshape(insampleY, [B, L, 1]); // [B, L, 1]
    return tf.reshape(tf.matMul(weights, y), [B, h, 1]); // [B, H, L] x [B, L, 1] -> [B, H, 1]
  });
}
