/**
 * A recurrent stack with its state kept between calls, as NeuralForecast's `maintain_state`: the
 * window is encoded once, then the horizon advances one step per call from the carried state.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { stepLayer, type RecurrentLayer, type RecurrentState } from './unroll.js';

/** The top layer's outputs and every layer's final state. */
export interface StackRun {
  /** [B, T, out] */
  readonly outputs: tf.Tensor3D;
  /** One state per layer, after the last step. */
  readonly states: RecurrentState[];
}

/**
 * Runs the stack over x [B, T, in] from `states` (zero when absent), without dropout: only the
 * inference rollout calls it (training goes through `unrollStack`, which applies the layer dropout).
 */
export function runStack(
  layers: readonly RecurrentLayer[],
  x: tf.Tensor3D,
  states: readonly RecurrentState[] | undefined,
): StackRun {
  let input = x;
  const finals: RecurrentState[] = [];
  layers.forEach((layer, i) => {
    const run = stepLayer(layer, input, states?.[i]); // [B, T, in] -> [B, T, out]
    finals.push(run.final);
    input = run.outputs;
  });
  return { outputs: input, states: finals };
}
