/**
 * NeuralForecast 3.x's recurrent (`RECURRENT = True`) forward, shared by DeepAR and the recurrent
 * form of RNN, GRU and LSTM: windows hold input_size + 1 steps, and the encoder at step t reads y_t
 * with the exogenous row of t + 1 (the step it predicts). Training feeds the true horizon shifted by
 * one (teacher forcing); inference encodes the window once and rolls the horizon out one step at a
 * time, each step reading the previous step's fed-back forecast and the carried state.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StepFeedback, WindowBatch } from '../../model/types.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { runStack } from './run-stack.js';
import { unrollStack, type RecurrentLayer } from './unroll.js';

/** What a model adds to the shared loop: its encoder inputs and its output head. */
export interface AutoregressiveParts {
  readonly layers: readonly RecurrentLayer[];
  /** Dropout between layers while training (PyTorch's `dropout` of a multi-layer RNN). */
  readonly dropout: number;
  /**
   * Encoder inputs [B, T, in] for T steps reading the values `y` [B, T, 1], whose exogenous rows
   * start at window position `exogStart` (the row of the step each input predicts).
   */
  stepInputs(y: tf.Tensor3D, batch: WindowBatch, exogStart: number): tf.Tensor3D;
  /** Top-layer outputs [B, T, out] -> raw outputs [B, T, K]. */
  head(outputs: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * Training: the encoder reads the window's y followed by the true horizon shifted by one, and the
 * last H' steps give the H' = target length outputs. [B, H', K]
 */
export function teacherForced(
  parts: AutoregressiveParts,
  batch: WindowBatch,
  target: tf.Tensor3D,
  ctx: ForwardContext,
): tf.Tensor3D {
  const [B, L] = batch.insampleY.shape;
  const ht = target.shape[1];
  const y =
    ht === 1
      ? batch.insampleY
      : (tf.concat([batch.insampleY, tf.slice(target, [0, 0, 0], [B, ht - 1, 1])], 1) as tf.Tensor3D); // [B, L+H'-1, 1]
  const x = parts.stepInputs(y, batch, 1); // [B, T, in]
  const outputs = unrollStack(parts.layers, x, parts.dropout, ctx); // [B, T, out]
  const T = L + ht - 1;
  return parts.head(tf.slice(outputs, [0, T - ht, 0], [B, ht, -1]), ctx); // [B, H', out] -> [B, H', K]
}

/**
 * Inference: the window is encoded once; each next step reads `feedback` of the previous step's
 * outputs and the carried state (no dropout). [B, h, K]
 */
export function rollout(
  parts: AutoregressiveParts,
  batch: WindowBatch,
  options: { readonly h: number; readonly feedback: StepFeedback; readonly ctx: ForwardContext },
): tf.Tensor3D {
  const [B, L] = batch.insampleY.shape;
  const { layers, head } = parts;
  const first = runStack(layers, parts.stepInputs(batch.insampleY, batch, 1), undefined);
  let states = first.states;
  let raw = head(tf.slice(first.outputs, [0, L - 1, 0], [B, 1, -1]), options.ctx); // [B, 1, K]
  const outputs = [raw];
  for (let tau = 1; tau < options.h; tau += 1) {
    const x = parts.stepInputs(options.feedback(raw), batch, L + tau); // [B, 1, in]
    const next = runStack(layers, x, states);
    states = next.states;
    raw = head(next.outputs, options.ctx); // [B, 1, out] -> [B, 1, K]
    outputs.push(raw);
  }
  return outputs.length === 1 ? raw : (tf.concat(outputs, 1) as tf.Tensor3D); // [B, h, K]
}

/** Without a feedback from the engine, the mean of the raw outputs (NeuralForecast's rule for point losses). */
export const meanFeedback: StepFeedback = (raw) => tf.mean(raw, 2, true) as tf.Tensor3D; // [B, 1, K] -> [B, 1, 1]
