/**
 * TFT's encoder and decoder recurrences: a PyTorch multi-layer `nn.LSTM` or `nn.GRU` (no dropout
 * between layers) started from a given state per layer and returning its final state per layer, so
 * the decoder continues where the encoder stopped. Each layer runs as one fused sequence op
 * (fused-sequence.ts) with the initial state as an input; backends without the op step through.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../nn/params.js';
import { fusedSequenceWithState, type SequenceState } from '../recurrent/fused-sequence.js';
import { createGruCell, type GruCell } from '../recurrent/gru-cell.js';
import { createLstmCell, type LstmCell } from '../recurrent/lstm-cell.js';
import { stepLayer } from '../recurrent/unroll.js';

/** NeuralForecast TFT's `rnn_type` choices. */
export const TFT_RNN_TYPES = ['lstm', 'gru'] as const;
/** One of {@link TFT_RNN_TYPES}. */
export type TftRnnType = (typeof TFT_RNN_TYPES)[number];

/** Every step's top-layer h and each layer's final state. */
export interface StackRun {
  /** [B, T, d] */
  readonly outputs: tf.Tensor3D;
  /** One state per layer. */
  readonly final: SequenceState[];
}

/** A stack of recurrent layers of width d over inputs of width d. */
export interface RnnStack {
  /** x [B, T, d] from `initial` (one state per layer; zero when absent). Call inside a tidy. */
  run(x: tf.Tensor3D, initial?: readonly SequenceState[]): StackRun;
}

/** Creates `layers` LSTM or GRU layers of width `hiddenSize` under `<path>/layer_<i>`. */
export function createRnnStack(
  store: ParamStore,
  options: {
    readonly path: string;
    readonly type: TftRnnType;
    readonly layers: number;
    readonly hiddenSize: number;
  },
): RnnStack {
  const { path, type, hiddenSize } = options;
  const cells: (LstmCell | GruCell)[] = Array.from({ length: options.layers }, (_, i) => {
    const cell = { path: `${path}/layer_${i}`, inputSize: hiddenSize, hiddenSize };
    return type === 'lstm' ? createLstmCell(store, cell) : createGruCell(store, cell);
  });
  const runLayer = (cell: LstmCell | GruCell, x: tf.Tensor3D, initial?: SequenceState) => {
    const fused = fusedSequenceWithState(type, cell.project(x), cell, initial);
    if (fused) return fused;
    const state = initial ? [initial.h, ...(initial.c ? [initial.c] : [])] : undefined;
    const { outputs, final } = stepLayer(cell, x, state);
    return { outputs, final: { h: final[0]!, c: final[1] } };
  };
  return {
    run: (x, initial) => {
      let y = x;
      const final = cells.map((cell, i) => {
        const out = runLayer(cell, y, initial?.[i]);
        y = out.outputs;
        return out.final;
      });
      return { outputs: y, final };
    },
  };
}
