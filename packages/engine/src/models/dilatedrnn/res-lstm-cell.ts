/**
 * NeuralForecast's `ResLSTMCell` (DilatedRNN's 'ResLSTM'), a residual LSTM after Kim et al. (2017):
 * peephole input, forget and output gates, a candidate from h alone, and the input added to the
 * output inside the output gate:
 *   [i f o] = x W_ii + b_ii + h W_ih + b_ih + c W_ic + b_ic;  g = tanh(h W_hh + b_hh);
 *   c' = σ(f)·c + σ(i)·g;  h' = σ(o)·(tanh(c') + r),  r = x when in = hidden, else x W_ir.
 * @see Kim, El-Khamy & Lee (2017), "Residual LSTM: Design of a Deep Recurrent Architecture for Distant Speech Recognition". https://arxiv.org/abs/1701.03360
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import type { RecurrentLayer, RecurrentState } from '../recurrent/unroll.js';
import { randnVariable } from './randn.js';

/** Options of {@link createResLstmCell}. */
export interface ResLstmCellOptions {
  /** Variable path, e.g. `rnn_stack/0/cells/0`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
}

/** One ResLSTM layer. State: [h, c]. Its projected input is [x W_ii + b_ii | r], 4·hidden wide. */
export interface ResLstmCell extends RecurrentLayer {
  readonly kind: 'reslstm';
  readonly inputSize: number;
}

/**
 * Creates the cell with NeuralForecast's nine parameters in its order (weights stored transposed,
 * [in, out]), all N(0, 1) as there. W_ir exists (and trains nothing) even when in = hidden, as
 * NeuralForecast registers it regardless.
 */
export function createResLstmCell(store: ParamStore, options: ResLstmCellOptions): ResLstmCell {
  const { path, inputSize, hiddenSize: H } = options;
  const weightIi = randnVariable(store, `${path}/ii/kernel`, [inputSize, 3 * H]);
  const weightIc = randnVariable(store, `${path}/ic/kernel`, [H, 3 * H]);
  const weightIh = randnVariable(store, `${path}/ih/kernel`, [H, 3 * H]);
  const biasIi = randnVariable(store, `${path}/ii/bias`, [3 * H]);
  const biasIc = randnVariable(store, `${path}/ic/bias`, [3 * H]);
  const biasIh = randnVariable(store, `${path}/ih/bias`, [3 * H]);
  const weightHh = randnVariable(store, `${path}/hh/kernel`, [H, H]);
  const biasHh = randnVariable(store, `${path}/hh/bias`, [H]);
  const weightIr = randnVariable(store, `${path}/ir/kernel`, [inputSize, H]);
  const project = <T extends tf.Tensor>(x: T): T =>
    tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const flat = tf.reshape(x, [-1, inputSize]) as tf.Tensor2D; // [..., in] -> [N, in]
      const gates = tf.fused.matMul({ a: flat, b: weightIi, bias: biasIi }); // [N, 3H]
      const residual = inputSize === H ? flat : tf.matMul(flat, weightIr); // [N, H]
      return tf.reshape(tf.concat([gates, residual], 1), [...lead, 4 * H]) as T; // -> [..., 4H]
    });
  const stepProjected = (xProjected: tf.Tensor2D, [h, c]: RecurrentState): RecurrentState =>
    tf.tidy(() => {
      const [xGates, residual] = tf.split(xProjected, [3 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
      const fromH = tf.fused.matMul({ a: h!, b: weightIh, bias: biasIh }); // [B, 3H]
      const fromC = tf.fused.matMul({ a: c!, b: weightIc, bias: biasIc }); // [B, 3H]
      const [i, f, o] = tf.split(tf.addN([xGates, fromH, fromC]), 3, 1) as tf.Tensor2D[]; // 3 × [B, H]
      const g = tf.tanh(tf.fused.matMul({ a: h!, b: weightHh, bias: biasHh })); // [B, H]
      const cNext = tf.add(tf.mul(tf.sigmoid(f!), c!), tf.mul(tf.sigmoid(i!), g)) as tf.Tensor2D;
      const hNext = tf.mul(tf.sigmoid(o!), tf.add(tf.tanh(cNext), residual)) as tf.Tensor2D;
      return [hNext, cNext];
    });
  return {
    kind: 'reslstm',
    inputSize,
    hiddenSize: H,
    stateSizes: [H, H],
    project,
    stepProjected,
    step: (x, state) => tf.tidy(() => stepProjected(project(x), state)),
  };
}
