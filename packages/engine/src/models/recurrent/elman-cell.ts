/**
 * The Elman recurrent cell of PyTorch's `nn.RNN`: h' = act(x W_ih + b_ih + h W_hh + b_hh).
 * Shared by the recurrent models (RNN now; GRU and LSTM reuse the layer stack and time loop).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';

/** The nonlinearities `nn.RNN` offers. */
export type ElmanActivation = 'tanh' | 'relu';

/** Options of {@link createElmanCell}. */
export interface ElmanCellOptions {
  /** Variable path, e.g. `hist_encoder/layer_0`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Whether the cell has b_ih and b_hh. @default true */
  readonly bias?: boolean;
  /** @default 'tanh' */
  readonly activation?: ElmanActivation;
}

/** One Elman layer's weights and its step functions. */
export interface ElmanCell {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** [in, hidden] (PyTorch's weight_ih transposed). */
  readonly weightIh: tf.Variable;
  /** [hidden, hidden] (PyTorch's weight_hh transposed). */
  readonly weightHh: tf.Variable;
  readonly biasIh: tf.Variable | undefined;
  readonly biasHh: tf.Variable | undefined;
  /** The input part x W_ih + b_ih for [..., in] -> [..., hidden]; computed once for a whole window. */
  project<T extends tf.Tensor>(x: T): T;
  /** One step from a projected input [B, hidden] and the previous state [B, hidden]. */
  stepProjected(xProjected: tf.Tensor2D, state: tf.Tensor2D): tf.Tensor2D;
  /** One step from a raw input [B, in] and the previous state [B, hidden]. */
  step(x: tf.Tensor2D, state: tf.Tensor2D): tf.Tensor2D;
}

/**
 * Creates an Elman cell. PyTorch's `RNNBase.reset_parameters` draws every weight and bias from
 * U(-1/√hidden, 1/√hidden), in the order weight_ih, weight_hh, bias_ih, bias_hh; we do the same
 * from the store's seeded stream (named `ih/kernel`, `hh/kernel`, `ih/bias`, `hh/bias`).
 */
export function createElmanCell(store: ParamStore, options: ElmanCellOptions): ElmanCell {
  const { path, inputSize, hiddenSize } = options;
  const bound = 1 / Math.sqrt(hiddenSize);
  const range = { low: -bound, high: bound };
  const weightIh = store.uniform(`${path}/ih/kernel`, [inputSize, hiddenSize], range);
  const weightHh = store.uniform(`${path}/hh/kernel`, [hiddenSize, hiddenSize], range);
  const withBias = options.bias ?? true;
  const biasIh = withBias ? store.uniform(`${path}/ih/bias`, [hiddenSize], range) : undefined;
  const biasHh = withBias ? store.uniform(`${path}/hh/bias`, [hiddenSize], range) : undefined;
  const act = (options.activation ?? 'tanh') === 'tanh' ? tf.tanh : tf.relu;
  const project = <T extends tf.Tensor>(x: T): T =>
    tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const flat = tf.reshape(x, [-1, inputSize]) as tf.Tensor2D; // [..., in] -> [N, in]
      const y = biasIh ? tf.fused.matMul({ a: flat, b: weightIh, bias: biasIh }) : tf.matMul(flat, weightIh);
      return tf.reshape(y, [...lead, hiddenSize]) as T; // [N, hidden] -> [..., hidden]
    });
  const stepProjected = (xProjected: tf.Tensor2D, state: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      // [B, hidden] W_hh [hidden, hidden] + b_hh + projected input, then the nonlinearity.
      const recurrent = biasHh
        ? tf.fused.matMul({ a: state, b: weightHh, bias: biasHh })
        : tf.matMul(state, weightHh);
      return act(tf.add(recurrent, xProjected)) as tf.Tensor2D;
    });
  return {
    inputSize,
    hiddenSize,
    weightIh,
    weightHh,
    biasIh,
    biasHh,
    project,
    stepProjected,
    step: (x, state) => tf.tidy(() => stepProjected(project(x), state)),
  };
}
