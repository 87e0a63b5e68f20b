/**
 * The GRU cell of PyTorch's `nn.GRU` (Cho et al. 2014), gates in PyTorch's r|z|n order. The
 * candidate's recurrent part is gated by r after its bias, as PyTorch (and cuDNN) compute it:
 *   r = σ(x W_ir + b_ir + h W_hr + b_hr),  z = σ(x W_iz + b_iz + h W_hz + b_hz),
 *   n = tanh(x W_in + b_in + r·(h W_hn + b_hn)),  h' = (1 - z)·n + z·h.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { fusedSequence } from './fused-sequence.js';
import { createGateWeights, type GateWeights } from './gate-weights.js';
import type { RecurrentLayer, RecurrentState } from './unroll.js';

/** Options of {@link createGruCell}. */
export interface GruCellOptions {
  /** Variable path, e.g. `hist_encoder/layer_0`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Whether the cell has b_ih and b_hh. @default true */
  readonly bias?: boolean;
}

/** One GRU layer. State: [h]. */
export interface GruCell extends GateWeights, RecurrentLayer {
  readonly kind: 'gru';
}

/** Creates a GRU cell (weights as {@link createGateWeights}, three gate blocks). */
export function createGruCell(store: ParamStore, options: GruCellOptions): GruCell {
  const weights = createGateWeights(store, { ...options, gates: 3 });
  const stepProjected = (xProjected: tf.Tensor2D, [h]: RecurrentState): RecurrentState =>
    tf.tidy(() => {
      const [xr, xz, xn] = tf.split(xProjected, 3, 1) as tf.Tensor2D[]; // 3 × [B, hidden]
      const [hr, hz, hn] = tf.split(weights.recur(h as tf.Tensor2D), 3, 1) as tf.Tensor2D[];
      const r = tf.sigmoid(tf.add(xr!, hr!));
      const z = tf.sigmoid(tf.add(xz!, hz!));
      const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
      return [tf.add(n, tf.mul(z, tf.sub(h!, n))) as tf.Tensor2D]; // (1 - z)·n + z·h
    });
  return {
    ...weights,
    kind: 'gru',
    stateSizes: [options.hiddenSize],
    stepProjected,
    step: (x, state) => tf.tidy(() => stepProjected(weights.project(x), state)),
    sequence: (projected, layout) => fusedSequence('gru', projected, weights, layout),
  };
}
