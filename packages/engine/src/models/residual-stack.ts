/** The doubly residual stacking shared by N-BEATS, NBEATSx and NHITS. */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../model/types.js';
import type { ForwardContext } from '../nn/forward-context.js';

/** One block: newest-first residuals [B, L] in, its backcast [B, L] and forecast [B, H, K|1] out. */
export type ResidualBlock = (
  residuals: tf.Tensor2D,
  batch: WindowBatch,
  ctx: ForwardContext,
) => readonly [tf.Tensor2D, tf.Tensor3D];

/**
 * Runs blocks in order: each one removes what it explains from the (masked) residual window and
 * adds its forecast to a naive start (the last observed value), as in Oreshkin et al.'s stacking.
 * NeuralForecast feeds the window newest-first, so we flip it too: the basis templates assume it.
 */
export function runResidualStack(
  batch: WindowBatch,
  ctx: ForwardContext,
  stack: { readonly blocks: readonly ResidualBlock[]; readonly h: number; readonly nOutputs: number },
): tf.Tensor3D {
  const { blocks, h, nOutputs } = stack;
  const [B, L] = batch.insampleY.shape;
  const y = tf.reshape(batch.insampleY, [B, L]); // [B, L, 1] -> [B, L]
  let residuals = tf.reverse(y, 1) as tf.Tensor2D; // newest first
  const mask = tf.reverse(tf.reshape(batch.insampleMask, [B, L]), 1); // [B, L]
  // Naive level [B, 1] -> [B, H, K]: expanded up front so the sum is [B, H, K] even when every block
  // emits a single output (an exogenous-only NBEATSx), where broadcasting alone would stop at K=1.
  // level [B, 1] x ones [1, H*K] -> [B, H*K] -> [B, H, K]: an exact copy (x·1), and on wasm ten times
  // faster than tf.tile, which loops in JavaScript.
  const level = tf.slice(y, [0, L - 1], [B, 1]);
  let forecast = tf.reshape(tf.matMul(level, tf.ones([1, h * nOutputs])), [B, h, nOutputs]) as tf.Tensor3D;
  for (const block of blocks) {
    const [backcast, blockForecast] = block(residuals, batch, ctx);
    residuals = tf.mul(tf.sub(residuals, backcast), mask) as tf.Tensor2D; // padding stays 0
    forecast = tf.add(forecast, blockForecast); // [B, H, K] + [B, H, K|1] -> [B, H, K]
  }
  return forecast;
}

/**
 * Projects per-output coefficients onto a fixed basis: theta [B, P*K] laid out [P, K] row-major,
 * basis [P, T] → [B, T, K] (NeuralForecast's `einsum('bpq,pt->btq')`).
 */
export function projectOnBasis(theta: tf.Tensor2D, basis: tf.Tensor2D, outputs: number): tf.Tensor3D {
  const B = theta.shape[0];
  const [P, T] = basis.shape;
  const perOutput = tf.reshape(tf.transpose(tf.reshape(theta, [B, P, outputs]), [0, 2, 1]), [B * outputs, P]); // [B*K, P]
  const projected = tf.matMul(perOutput, basis); // [B*K, P] x [P, T] -> [B*K, T]
  return tf.transpose(tf.reshape(projected, [B, outputs, T]), [0, 2, 1]) as tf.Tensor3D; // -> [B, T, K]
}
