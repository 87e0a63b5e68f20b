/**
 * The weights every PyTorch recurrent layer (`nn.RNN`, `nn.GRU`, `nn.LSTM`) has: W_ih, W_hh and
 * optionally b_ih, b_hh, with `gates` blocks of `hidden` columns side by side (1 for Elman, 3 for
 * GRU in r|z|n order, 4 for LSTM in i|f|g|o order).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';

/** Options of {@link createGateWeights}. */
export interface GateWeightsOptions {
  /** Variable path, e.g. `hist_encoder/layer_0`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Gate blocks: 1 (Elman), 3 (GRU), 4 (LSTM). */
  readonly gates: number;
  /** Whether the layer has b_ih and b_hh. @default true */
  readonly bias?: boolean;
  /** Width of the state W_hh reads: the projection size of a projected LSTM. @default hiddenSize */
  readonly recurrentInputSize?: number;
}

/** One recurrent layer's weights, stored transposed ([in, gates·hidden]) for x·W products. */
export interface GateWeights {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly gates: number;
  /** [in, gates·hidden] (PyTorch's weight_ih transposed). */
  readonly weightIh: tf.Variable;
  /** [hidden (or proj), gates·hidden] (PyTorch's weight_hh transposed). */
  readonly weightHh: tf.Variable;
  readonly biasIh: tf.Variable | undefined;
  readonly biasHh: tf.Variable | undefined;
  /** x W_ih + b_ih for [..., in] -> [..., gates·hidden]; computed once for a whole window. */
  project<T extends tf.Tensor>(x: T): T;
  /** h W_hh + b_hh for [B, hidden (or proj)] -> [B, gates·hidden]. */
  recur(state: tf.Tensor2D): tf.Tensor2D;
}

/**
 * Creates the weights. PyTorch's `RNNBase.reset_parameters` draws every weight and bias from
 * U(-1/√hidden, 1/√hidden) in the order weight_ih, weight_hh, bias_ih, bias_hh; we do the same
 * from the store's seeded stream (named `ih/kernel`, `hh/kernel`, `ih/bias`, `hh/bias`).
 */
export function createGateWeights(store: ParamStore, options: GateWeightsOptions): GateWeights {
  const { path, inputSize, hiddenSize, gates } = options;
  const width = gates * hiddenSize;
  const bound = 1 / Math.sqrt(hiddenSize);
  const range = { low: -bound, high: bound };
  const weightIh = store.uniform(`${path}/ih/kernel`, [inputSize, width], range);
  const weightHh = store.uniform(
    `${path}/hh/kernel`,
    [options.recurrentInputSize ?? hiddenSize, width],
    range,
  );
  const withBias = options.bias ?? true;
  const biasIh = withBias ? store.uniform(`${path}/ih/bias`, [width], range) : undefined;
  const biasHh = withBias ? store.uniform(`${path}/hh/bias`, [width], range) : undefined;
  const affine = (x: tf.Tensor2D, w: tf.Variable, b: tf.Variable | undefined): tf.Tensor2D =>
    (b ? tf.fused.matMul({ a: x, b: w, bias: b }) : tf.matMul(x, w)) as tf.Tensor2D;
  return {
    inputSize,
    hiddenSize,
    gates,
    weightIh,
    weightHh,
    biasIh,
    biasHh,
    project: <T extends tf.Tensor>(x: T): T =>
      tf.tidy(() => {
        const lead = x.shape.slice(0, -1);
        const flat = tf.reshape(x, [-1, inputSize]) as tf.Tensor2D; // [..., in] -> [N, in]
        return tf.reshape(affine(flat, weightIh, biasIh), [...lead, width]) as T; // -> [..., G·hidden]
      }),
    recur: (state) => affine(state, weightHh, biasHh),
  };
}
