/**
 * DeepAR's LSTM stack with its state kept between calls, as NeuralForecast's `maintain_state`: the
 * window is encoded once, then the horizon advances one step per call from the carried state.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LstmCell } from '../recurrent/lstm-cell.js';
import { zeroState, type RecurrentState } from '../recurrent/unroll.js';

/** The top layer's outputs and every layer's final state. */
export interface StackRun {
  /** [B, T, hidden] */
  readonly outputs: tf.Tensor3D;
  /** One [h, c] per layer, after the last step. */
  readonly states: RecurrentState[];
}

/**
 * Runs the stack over x [B, T, in] from `states` (zero when absent), without dropout: only the
 * inference rollout calls it (training goes through `unrollStack`, which applies the layer dropout).
 */
export function runStack(
  layers: readonly LstmCell[],
  x: tf.Tensor3D,
  states: readonly RecurrentState[] | undefined,
): StackRun {
  const [B, T] = x.shape;
  let input = x;
  const finals: RecurrentState[] = [];
  layers.forEach((layer, i) => {
    const projected = layer.project(input); // [B, T, 4·hidden]
    // A single step is reshaped: the gradient of a one-output unstack passes a null dy to stack in tfjs.
    const steps =
      T === 1 ? [tf.reshape(projected, [B, -1]) as tf.Tensor2D] : (tf.unstack(projected, 1) as tf.Tensor2D[]); // T × [B, 4·hidden]
    let state = states?.[i] ?? zeroState(layer, B);
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t += 1) {
      state = layer.stepProjected(steps[t] as tf.Tensor2D, state);
      outputs.push(state[0] as tf.Tensor2D); // [B, hidden]
    }
    finals.push(state);
    input =
      T === 1
        ? (tf.expandDims(outputs[0] as tf.Tensor2D, 1) as tf.Tensor3D)
        : (tf.stack(outputs, 1) as tf.Tensor3D); // [B, T, hidden]
  });
  return { outputs: input, states: finals };
}
