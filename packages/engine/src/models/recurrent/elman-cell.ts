/**
 * The Elman recurrent cell of PyTorch's `nn.RNN`: h' = act(x W_ih + b_ih + h W_hh + b_hh).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { fusedSequence } from './fused-sequence.js';
import { createGateWeights, type GateWeights } from './gate-weights.js';
import type { RecurrentLayer, RecurrentState } from './unroll.js';

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

/** One Elman layer: its weights and its step functions. State: [h]. */
export interface ElmanCell extends GateWeights, RecurrentLayer {
  readonly kind: 'elman';
  readonly activation: ElmanActivation;
}

/** Creates an Elman cell (weights as {@link createGateWeights}, one gate block). */
export function createElmanCell(store: ParamStore, options: ElmanCellOptions): ElmanCell {
  const weights = createGateWeights(store, { ...options, gates: 1 });
  const activation = options.activation ?? 'tanh';
  const act = activation === 'tanh' ? tf.tanh : tf.relu;
  const stepProjected = (xProjected: tf.Tensor2D, [h]: RecurrentState): RecurrentState =>
    tf.tidy(() => [act(tf.add(weights.recur(h as tf.Tensor2D), xProjected)) as tf.Tensor2D]); // [B, hidden]
  return {
    ...weights,
    kind: 'elman',
    activation,
    stateSizes: [options.hiddenSize],
    stepProjected,
    step: (x, state) => tf.tidy(() => stepProjected(weights.project(x), state)),
    sequence: (projected, layout) => fusedSequence(activation, projected, weights, layout),
  };
}
