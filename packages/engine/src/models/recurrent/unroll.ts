/**
 * The unrolled time loop of a stacked recurrent encoder over an input window, as PyTorch's
 * multi-layer `nn.RNN`/`nn.GRU`/`nn.LSTM` with `batch_first=True` and a zero initial state:
 * layer by layer, the input projection is computed once for the whole window, then the
 * recurrence runs step by step; dropout is applied to every layer's outputs except the last.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import type { FusedSequenceOptions } from './fused-sequence.js';

/**
 * A recurrent layer's state: one [B, width] tensor per entry of `stateSizes`, the first being the
 * output h (Elman and GRU carry [h]; LSTM carries [h, c]; a projected LSTM's h is narrower than c).
 */
export type RecurrentState = tf.Tensor2D[];

/** A recurrent layer the loop can drive: a window-wide input projection and one step over it. */
export interface RecurrentLayer {
  /** Width of the gates' hidden units. */
  readonly hiddenSize: number;
  /** Width of each tensor of its state; the first is the width of its output h. */
  readonly stateSizes: readonly number[];
  /** [B, T, in] -> [B, T, P]: the part of every step that depends only on the input. */
  project<T extends tf.Tensor>(x: T): T;
  /** One step: projected input [B, P] and the previous state -> the new state. */
  stepProjected(xProjected: tf.Tensor2D, state: RecurrentState): RecurrentState;
  /** One step from a raw input [B, in]. */
  step(x: tf.Tensor2D, state: RecurrentState): RecurrentState;
  /**
   * The whole recurrence at once (fused-sequence.ts): projected input [B, T, P] -> every step's h
   * [B, T, hidden] from a zero state ([T, B, ·] both with `timeMajor`), or null where the backend
   * has no fused kernel. Optional: layers without it run step by step. It must compute what
   * `stepProjected` computes, so a layer derived from a cell with another `stepProjected` must drop
   * or replace it.
   */
  sequence?(projected: tf.Tensor3D, layout?: FusedSequenceOptions): tf.Tensor3D | null;
  /**
   * `sequence(project(x))` computed another way, where the layer has one: the same h from the raw
   * input [B, T, in] ([T, B, in] with `timeMajor`), or null where the backend has no fused kernel.
   * Optional; the unroll functions try it first.
   */
  sequenceOfInput?(x: tf.Tensor3D, layout?: FusedSequenceOptions): tf.Tensor3D | null;
}

let fromInput = true;

/**
 * Turns the layers' `sequenceOfInput` off or on again, for A/B comparisons with `sequence` over
 * `project` (tests and benches); on by default.
 */
export const setSequenceOfInput = (enabled: boolean): void => {
  fromInput = enabled;
};

/** The zero state of a layer for a batch of B. */
export const zeroState = (layer: RecurrentLayer, batchSize: number): RecurrentState =>
  layer.stateSizes.map((width) => tf.zeros([batchSize, width]) as tf.Tensor2D);

/**
 * Runs one layer over [B, T, in] from a zero state; returns every step's output h [B, T, hidden].
 * Uses the layer's fused sequence op where it has one for the active backend, else
 * {@link unrollLayerStepwise}.
 */
export function unrollLayer(layer: RecurrentLayer, x: tf.Tensor3D): tf.Tensor3D {
  if (layer.sequence === undefined) return unrollLayerStepwise(layer, x);
  return tf.tidy(() => {
    const direct = fromInput ? layer.sequenceOfInput?.(x) : null;
    if (direct) return direct;
    const projected = layer.project(x); // [B, T, in] -> [B, T, P]
    return layer.sequence?.(projected) ?? stepThrough(layer, projected).outputs;
  });
}

/**
 * {@link unrollLayer} over a time-major input [T, B, in] -> every step's h [T, B, hidden]: the fused
 * op reads and writes that layout as it is; without one, the steps run batch-first between two
 * transposes.
 */
export function unrollLayerTimeMajor(layer: RecurrentLayer, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const direct = fromInput ? layer.sequenceOfInput?.(x, { timeMajor: true }) : null;
    if (direct) return direct;
    const projected = layer.project(x); // [T, B, in] -> [T, B, P]
    const fused = layer.sequence?.(projected, { timeMajor: true });
    if (fused) return fused;
    const batchFirst = tf.transpose(projected, [1, 0, 2]) as tf.Tensor3D; // -> [B, T, P]
    return tf.transpose(stepThrough(layer, batchFirst).outputs, [1, 0, 2]) as tf.Tensor3D; // -> [T, B, hidden]
  });
}

/**
 * The step-by-step path: one `stepProjected` per step on tf ops. The reference the fused ops are
 * tested against, and the path of layers (or backends) without a fused op.
 */
export function unrollLayerStepwise(layer: RecurrentLayer, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => stepThrough(layer, layer.project(x)).outputs);
}

/** Every step's output h and the state after the last step. */
export interface LayerRun {
  /** [B, T, hidden] */
  readonly outputs: tf.Tensor3D;
  readonly final: RecurrentState;
}

/**
 * Steps a layer over [B, T, in] from `initial` (zero when absent) and returns its final state too:
 * the path of inference rollouts that carry the state from one call to the next (NeuralForecast's
 * `maintain_state`). Call inside a tidy.
 */
export const stepLayer = (layer: RecurrentLayer, x: tf.Tensor3D, initial?: RecurrentState): LayerRun =>
  stepThrough(layer, layer.project(x), initial);

/** Runs the recurrence over an already projected input [B, T, P] from `initial` (zero when absent). */
function stepThrough(layer: RecurrentLayer, projected: tf.Tensor3D, initial?: RecurrentState): LayerRun {
  const [B, T] = projected.shape;
  // One step is a reshape: tfjs's stack/unstack gradient fails for a single slice.
  const steps =
    T === 1 ? [tf.reshape(projected, [B, -1]) as tf.Tensor2D] : (tf.unstack(projected, 1) as tf.Tensor2D[]); // T × [B, P]
  let state = initial ?? zeroState(layer, B);
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t += 1) {
    state = layer.stepProjected(steps[t] as tf.Tensor2D, state);
    outputs.push(state[0] as tf.Tensor2D); // [B, out]
  }
  const stacked =
    T === 1
      ? (tf.expandDims(outputs[0] as tf.Tensor2D, 1) as tf.Tensor3D)
      : (tf.stack(outputs, 1) as tf.Tensor3D); // -> [B, T, out]
  return { outputs: stacked, final: state };
}

/** Runs a layer stack over [B, T, in]; returns the top layer's outputs [B, T, hidden]. */
export function unrollStack(
  layers: readonly RecurrentLayer[],
  x: tf.Tensor3D,
  dropoutRate: number,
  ctx: ForwardContext,
): tf.Tensor3D {
  let y = x;
  layers.forEach((layer, i) => {
    y = unrollLayer(layer, y);
    if (i < layers.length - 1) y = dropout(y, dropoutRate, ctx); // PyTorch: not after the last layer
  });
  return y;
}
