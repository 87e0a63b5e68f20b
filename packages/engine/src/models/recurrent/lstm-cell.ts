/**
 * The LSTM cell of PyTorch's `nn.LSTM` (Hochreiter & Schmidhuber 1997, with the forget gate of
 * Gers et al. 2000), gates in PyTorch's i|f|g|o order:
 *   [i f g o] = x W_ih + b_ih + h W_hh + b_hh;  c' = σ(f)·c + σ(i)·tanh(g);  h' = σ(o)·tanh(c').
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { fusedSequence } from './fused-sequence.js';
import { createGateWeights, type GateWeights } from './gate-weights.js';
import type { RecurrentLayer, RecurrentState } from './unroll.js';

/** Options of {@link createLstmCell}. */
export interface LstmCellOptions {
  /** Variable path, e.g. `hist_encoder/layer_0`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Whether the cell has b_ih and b_hh. @default true */
  readonly bias?: boolean;
}

/** One LSTM layer. State: [h, c]. */
export interface LstmCell extends GateWeights, RecurrentLayer {
  readonly kind: 'lstm';
}

/** Creates an LSTM cell (weights as {@link createGateWeights}, four gate blocks). */
export function createLstmCell(store: ParamStore, options: LstmCellOptions): LstmCell {
  const weights = createGateWeights(store, { ...options, gates: 4 });
  const stepProjected = (xProjected: tf.Tensor2D, [h, c]: RecurrentState): RecurrentState =>
    tf.tidy(() => {
      const pre = tf.add(weights.recur(h as tf.Tensor2D), xProjected); // [B, 4·hidden]
      const [i, f, g, o] = tf.split(pre, 4, 1) as tf.Tensor2D[]; // 4 × [B, hidden]
      const cNext = tf.add(tf.mul(tf.sigmoid(f!), c!), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
      const hNext = tf.mul(tf.sigmoid(o!), tf.tanh(cNext)) as tf.Tensor2D;
      return [hNext, cNext];
    });
  return {
    ...weights,
    kind: 'lstm',
    stateSizes: [options.hiddenSize, options.hiddenSize],
    stepProjected,
    step: (x, state) => tf.tidy(() => stepProjected(weights.project(x), state)),
    sequence: (projected, layout) => fusedSequence('lstm', projected, weights, layout),
  };
}
