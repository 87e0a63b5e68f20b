/**
 * DilatedRNN: groups of dilated recurrent layers (NeuralForecast's `DRNN` modules, one per list in
 * `dilations`) encode the input window (target, hist, repeated static and the window's futr
 * columns), every group after the first adding its input back (a residual connection); a linear
 * context adapter maps the window's L steps to the H horizon steps per unit, and an MLP decoder
 * turns each horizon step's context (plus that step's futr columns) into the outputs.
 * NeuralForecast 3.x's direct (non-recurrent) DilatedRNN.
 * @see Chang et al. (2017), "Dilated Recurrent Neural Networks", NeurIPS. https://arxiv.org/abs/1710.02224
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelDims, ModelSpec } from '../../model/types.js';
import { createParamStore, type ParamStore } from '../../nn/params.js';
import { createContextDecoder } from '../context-decoder.js';
import { checkDims, toNetwork } from '../network.js';
import { encoderInput, encoderInputSize } from '../recurrent/direct.js';
import { createElmanCell } from '../recurrent/elman-cell.js';
import { createGruCell } from '../recurrent/gru-cell.js';
import { createLstmCell } from '../recurrent/lstm-cell.js';
import { unrollLayerTimeMajor, type RecurrentLayer } from '../recurrent/unroll.js';
import { createAttentiveLstmLayer } from './attentive-lstm.js';
import { runDrnn, type DilatedLayer, type SequenceLayer } from './drnn.js';
import { createResLstmCell } from './res-lstm-cell.js';
import { dilatedRnnSearchSpace } from './search-space.js';

/** NeuralForecast's `cell_type` options. */
export const DILATED_RNN_CELL_TYPES = ['GRU', 'RNN', 'LSTM', 'ResLSTM', 'AttentiveLSTM'] as const;

/** A DilatedRNN cell type. */
export type DilatedRnnCellType = (typeof DILATED_RNN_CELL_TYPES)[number];

/** DilatedRNN's own hyperparameters, with NeuralForecast's names and defaults. */
export const dilatedRnnConfigSchema = z.object({
  /**
   * Window length at inference. NeuralForecast 3.x reads it only for recurrent models; DilatedRNN is
   * direct and always forecasts from `input_size`, so it is accepted and ignored, as there. @default null
   */
  inference_input_size: z.number().int().nullable().default(null),
  /** Recurrent cell of every layer. @default 'LSTM' */
  cell_type: z.enum(DILATED_RNN_CELL_TYPES).default('LSTM'),
  /** One `DRNN` group per inner list, one layer per rate in it. @default [[1, 2], [4, 8]] */
  dilations: z
    .array(z.array(z.number().int().min(1)).min(1))
    .min(1)
    .default([
      [1, 2],
      [4, 8],
    ]),
  /** Hidden units of every recurrent layer. @default 128 */
  encoder_hidden_size: z.number().int().min(1).default(128),
  /**
   * Stored but unused by NeuralForecast 3.x's DilatedRNN (its context adapter maps L steps to H, with
   * no context width); accepted so configs and Auto spaces carry over. @default 10
   */
  context_size: z.number().int().min(1).default(10),
  /** Hidden units of the MLP decoder. @default 128 */
  decoder_hidden_size: z.number().int().min(1).default(128),
  /** Layers of the MLP decoder, output layer included (1 = one linear layer). @default 2 */
  decoder_layers: z.number().int().min(1).default(2),
});

/** Parsed DilatedRNN config. */
export type DilatedRnnConfig = z.output<typeof dilatedRnnConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;
const label = 'DilatedRNN';

/**
 * One recurrent layer of `cell_type`. LSTM, GRU and RNN are PyTorch's `nn.LSTM`, `nn.GRU` and
 * `nn.RNN` (tanh) in NeuralForecast, so the engine's PyTorch-semantics cells serve them as they are;
 * ResLSTM and AttentiveLSTM are NeuralForecast's own layers.
 */
function createCell(
  store: ParamStore,
  cellType: DilatedRnnCellType,
  options: { path: string; inputSize: number; hiddenSize: number },
): SequenceLayer {
  let cell: RecurrentLayer;
  switch (cellType) {
    case 'LSTM':
      cell = createLstmCell(store, options);
      break;
    case 'GRU':
      cell = createGruCell(store, options);
      break;
    case 'RNN':
      cell = createElmanCell(store, options);
      break;
    case 'ResLSTM':
      cell = createResLstmCell(store, options);
      break;
    case 'AttentiveLSTM':
      return createAttentiveLstmLayer(store, options);
  }
  return (x) => unrollLayerTimeMajor(cell, x);
}

/** The encoder: NeuralForecast's `rnn_stack`, one `DRNN` group per list of dilations. */
function createRnnStack(
  store: ParamStore,
  config: DilatedRnnConfig,
  dims: ModelDims,
): readonly (readonly DilatedLayer[])[] {
  const hidden = config.encoder_hidden_size;
  return config.dilations.map((rates, g) =>
    rates.map((rate, i) => ({
      rate,
      run: createCell(store, config.cell_type, {
        path: `rnn_stack/${g}/cells/${i}`,
        inputSize: g === 0 && i === 0 ? encoderInputSize(dims) : hidden,
        hiddenSize: hidden,
      }),
    })),
  );
}

/** NeuralForecast's `DilatedRNN`. */
export const dilatedrnn = {
  id: 'dilatedrnn',
  label,
  description:
    'Dilated RNN: groups of dilated recurrent layers with residual links and an MLP decoder (Chang et al., NeurIPS 2017).',
  family: 'rnn',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: dilatedRnnConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-3,
    num_lr_decays: 3,
    batch_size: 32,
    windows_batch_size: 128,
    inference_windows_batch_size: 1024,
    scaler_type: 'robust',
  },
  defaultSearchSpace: dilatedRnnSearchSpace,
  build(config, dims, seed) {
    checkDims({ label, exogenous }, dims);
    const C = config.encoder_hidden_size;
    const store = createParamStore('dilatedrnn', seed);
    // NeuralForecast's module order: rnn_stack, context_adapter, mlp_decoder.
    const groups = createRnnStack(store, config, dims);
    const head = createContextDecoder(store, dims, {
      channels: C,
      decoderHiddenSize: config.decoder_hidden_size,
      decoderLayers: config.decoder_layers,
    });
    return toNetwork(store, (batch, ctx) => {
      // The stack runs time-major (see drnn.ts): [B, L, 1+X+S+F] -> [L, B, 1+X+S+F].
      let x = tf.transpose(encoderInput(batch, dims, label), [1, 0, 2]) as tf.Tensor3D;
      groups.forEach((group, g) => {
        const y = runDrnn(group, x); // -> [L, B, C]
        x = g > 0 ? tf.add(y, x) : y; // residual from the second group on, as NeuralForecast
      });
      const states = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D; // [L, B, C] -> [B, L, C]
      return head.apply(states, batch, ctx, label); // -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<DilatedRnnConfig>;
