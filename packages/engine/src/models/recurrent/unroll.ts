/**
 * The unrolled time loop of a stacked recurrent encoder over an input window, as PyTorch's
 * multi-layer `nn.RNN`/`nn.GRU`/`nn.LSTM` with `batch_first=True` and a zero initial state:
 * layer by layer, the input projection is computed once for the whole window, then the
 * recurrence runs step by step; dropout is applied to every layer's outputs except the last.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';

/** A recurrent layer the loop can drive: a window-wide input projection and one step over it. */
export interface RecurrentLayer {
  readonly hiddenSize: number;
  /** [B, T, in] -> [B, T, P]: the part of every step that depends only on the input. */
  project<T extends tf.Tensor>(x: T): T;
  /** One step: projected input [B, P] and previous state [B, hidden] -> new state [B, hidden]. */
  stepProjected(xProjected: tf.Tensor2D, state: tf.Tensor2D): tf.Tensor2D;
}

/** Runs one layer over [B, T, in] from a zero state; returns every step's state [B, T, hidden]. */
export function unrollLayer(layer: RecurrentLayer, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const projected = layer.project(x); // [B, T, in] -> [B, T, P]
    const steps = tf.unstack(projected, 1) as tf.Tensor2D[]; // T × [B, P]
    let state: tf.Tensor2D = tf.zeros([B, layer.hiddenSize]);
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t += 1) {
      state = layer.stepProjected(steps[t] as tf.Tensor2D, state); // [B, hidden]
      outputs.push(state);
    }
    return tf.stack(outputs, 1) as tf.Tensor3D; // T × [B, hidden] -> [B, T, hidden]
  });
}

/** Runs a layer stack over [B, T, in]; returns the top layer's states [B, T, hidden]. */
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
