/**
 * The LSTM cell of PyTorch's `nn.LSTM` (Hochreiter & Schmidhuber 1997, with the forget gate of
 * Gers et al. 2000), gates in PyTorch's i|f|g|o order:
 *   [i f g o] = x W_ih + b_ih + h W_hh + b_hh;  c' = σ(f)·c + σ(i)·tanh(g);  h' = σ(o)·tanh(c').
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { fusedSequence, fusedSequenceAvailable } from './fused-sequence.js';
import { createGateWeights, type GateWeights } from './gate-weights.js';
import type { FusedSequenceOptions } from './fused-sequence.js';
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
    sequenceOfInput: (x, layout) => sequenceOfInput(weights, x, layout),
  };
}

/**
 * The fused sequence from the raw input x [B, T, in] with b_ih moved into the op: x·W_ih alone,
 * then the op adding b_ih + b_hh at every step. LSTM's two biases only ever appear summed, so
 * their gradients are one and the same Σ dG: computed once by the op instead of a second time by
 * the projection's fused matmul (a [B·T, 4H] reduction per layer), and a plain matmul's gradient
 * skips dL/dx where x needs none (the data under a stack's first layer), where the fused matmul's
 * computed it anyway. Equal to `fusedSequence(project(x))` up to float rounding (the bias is added
 * in another order).
 */
function sequenceOfInput(
  weights: GateWeights,
  x: tf.Tensor3D,
  layout: FusedSequenceOptions | undefined,
): tf.Tensor3D | null {
  // fusedSequence's own conditions for running, checked before the projection is spent.
  if (!fusedSequenceAvailable() || x.dtype !== 'float32' || x.size === 0) return null;
  const { weightIh, weightHh, biasIh, biasHh } = weights;
  return tf.tidy(() => {
    const [d0, d1, inputSize] = x.shape;
    const flat = tf.reshape(x, [d0 * d1, inputSize]); // [B·T, in]
    const projected = tf.reshape(tf.matMul(flat, weightIh), [d0, d1, -1]) as tf.Tensor3D; // -> [B, T, 4H]
    const bias = biasIh && biasHh ? tf.add(biasIh, biasHh) : undefined; // [4H]
    const y = fusedSequence('lstm', projected, { weightHh, biasHh: bias }, layout);
    if (!y) throw new Error('LSTM: the fused sequence op declined a float32 input');
    return y;
  });
}
