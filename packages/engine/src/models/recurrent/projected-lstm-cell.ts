/**
 * The LSTM cell of PyTorch's `nn.LSTM(proj_size=P)` (Sak et al. 2014), which NeuralForecast's LSTM
 * uses in its recurrent form with P = the loss's output count: the cell state keeps `hidden` units
 * but the output, and the state fed back, is projected down to P:
 *   [i f g o] = x W_ih + b_ih + h W_hh + b_hh;  c' = σ(f)·c + σ(i)·tanh(g);  h' = (σ(o)·tanh(c')) W_hr.
 * Over a known sequence it runs the fused LSTM op with W_hr as its projection (fused-sequence.ts).
 * @see Sak, Senior & Beaufays (2014), "Long Short-Term Memory Based Recurrent Neural Network Architectures for Large Vocabulary Speech Recognition". https://arxiv.org/abs/1402.1128
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { fusedSequence } from './fused-sequence.js';
import { createGateWeights, type GateWeights } from './gate-weights.js';
import type { RecurrentLayer, RecurrentState } from './unroll.js';

/** Options of {@link createProjectedLstmCell}. */
export interface ProjectedLstmCellOptions {
  /** Variable path, e.g. `hist_encoder/layer_0`. */
  readonly path: string;
  readonly inputSize: number;
  /** Width of the gates and of c. */
  readonly hiddenSize: number;
  /** Width of h, the layer's output (PyTorch's `proj_size`). */
  readonly projSize: number;
  /** Whether the cell has b_ih and b_hh. @default true */
  readonly bias?: boolean;
}

/** One projected LSTM layer. State: [h (proj), c (hidden)]. */
export interface ProjectedLstmCell extends GateWeights, RecurrentLayer {
  readonly kind: 'lstm-projected';
  /** [hidden, proj] (PyTorch's weight_hr transposed). */
  readonly weightHr: tf.Variable;
}

/**
 * Creates the cell. PyTorch draws weight_ih, weight_hh, bias_ih, bias_hh and then weight_hr, all
 * from U(-1/√hidden, 1/√hidden); the store's seeded stream draws them in that order.
 */
export function createProjectedLstmCell(
  store: ParamStore,
  options: ProjectedLstmCellOptions,
): ProjectedLstmCell {
  const { path, hiddenSize, projSize } = options;
  const weights = createGateWeights(store, { ...options, gates: 4, recurrentInputSize: projSize });
  const bound = 1 / Math.sqrt(hiddenSize);
  const weightHr = store.uniform(`${path}/hr/kernel`, [hiddenSize, projSize], { low: -bound, high: bound });
  const stepProjected = (xProjected: tf.Tensor2D, [h, c]: RecurrentState): RecurrentState =>
    tf.tidy(() => {
      const pre = tf.add(weights.recur(h as tf.Tensor2D), xProjected); // [B, 4·hidden]
      const [i, f, g, o] = tf.split(pre, 4, 1) as tf.Tensor2D[]; // 4 × [B, hidden]
      const cNext = tf.add(tf.mul(tf.sigmoid(f!), c!), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
      const hFull = tf.mul(tf.sigmoid(o!), tf.tanh(cNext)) as tf.Tensor2D; // [B, hidden]
      return [tf.matMul(hFull, weightHr) as tf.Tensor2D, cNext]; // h: [B, hidden] -> [B, proj]
    });
  return {
    ...weights,
    kind: 'lstm-projected',
    weightHr,
    stateSizes: [projSize, hiddenSize],
    stepProjected,
    step: (x, state) => tf.tidy(() => stepProjected(weights.project(x), state)),
    sequence: (projected, layout) => fusedSequence('lstm', projected, { ...weights, weightHr }, layout),
  };
}
