/**
 * TCN: a stack of dilated causal convolutions encodes the input window (target, hist, repeated
 * static and the window's futr columns) into per-step hidden states; a linear context adapter maps
 * the window's L steps to the H horizon steps per channel, and an MLP decoder turns each horizon
 * step's context (plus that step's futr columns) into the outputs. NeuralForecast 3.x's direct
 * (non-recurrent) TCN.
 * @see Bai, Kolter & Koltun (2018), "An Empirical Evaluation of Generic Convolutional and Recurrent Networks for Sequence Modeling". https://arxiv.org/abs/1803.01271
 */
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { ACTIVATIONS } from '../../nn/activations.js';
import { createDilatedConv1d } from '../../nn/dilated-conv1d.js';
import { createParamStore } from '../../nn/params.js';
import { createContextDecoder } from '../context-decoder.js';
import { checkDims, toNetwork } from '../network.js';
import { encoderInput, encoderInputSize } from '../recurrent/direct.js';
import { tcnSearchSpace } from './search-space.js';

/** TCN's own hyperparameters, with NeuralForecast's names and defaults. */
export const tcnConfigSchema = z.object({
  /**
   * Window length at inference. NeuralForecast 3.x reads it only for recurrent models; TCN is direct
   * and always forecasts from `input_size`, so it is accepted and ignored, as there. @default null
   */
  inference_input_size: z.number().int().nullable().default(null),
  /** Size of each causal convolution's kernel. @default 2 */
  kernel_size: z.number().int().min(1).default(2),
  /** One causal convolution per dilation, in order. @default [1, 2, 4, 8, 16] */
  dilations: z.array(z.number().int().min(1)).min(1).default([1, 2, 4, 8, 16]),
  /** Channels of every convolution. @default 128 */
  encoder_hidden_size: z.number().int().min(1).default(128),
  /** Activation after every convolution. @default 'ReLU' */
  encoder_activation: z.enum(ACTIVATIONS).default('ReLU'),
  /**
   * Stored but unused by NeuralForecast 3.x's TCN (its context adapter maps L steps to H, with no
   * context width); accepted so configs and Auto spaces carry over. @default 10
   */
  context_size: z.number().int().min(1).default(10),
  /** Hidden units of the MLP decoder. @default 128 */
  decoder_hidden_size: z.number().int().min(1).default(128),
  /** Layers of the MLP decoder, output layer included (1 = one linear layer). @default 2 */
  decoder_layers: z.number().int().min(1).default(2),
});

/** Parsed TCN config. */
export type TcnConfig = z.output<typeof tcnConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `TCN`. */
export const tcn = {
  id: 'tcn',
  label: 'TCN',
  description:
    'Temporal Convolution Network: dilated causal convolutions with an MLP decoder (Bai et al., 2018).',
  family: 'cnn',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: tcnConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-3,
    num_lr_decays: -1,
    windows_batch_size: 128,
    inference_windows_batch_size: 1024,
    scaler_type: 'robust',
  },
  defaultSearchSpace: tcnSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'TCN', exogenous }, dims);
    const C = config.encoder_hidden_size;
    const store = createParamStore('tcn', seed);
    const encoder = config.dilations.map((dilation, i) =>
      createDilatedConv1d(store, {
        path: `hist_encoder/layer_${i}`,
        inChannels: i === 0 ? encoderInputSize(dims) : C,
        outChannels: C,
        kernelSize: config.kernel_size,
        dilation,
        activation: config.encoder_activation,
      }),
    );
    const head = createContextDecoder(store, dims, {
      channels: C,
      decoderHiddenSize: config.decoder_hidden_size,
      decoderLayers: config.decoder_layers,
    });
    return toNetwork(store, (batch, ctx) => {
      let x = encoderInput(batch, dims, 'TCN'); // [B, L, 1+X+S+F]
      for (const layer of encoder) x = layer.apply(x); // -> [B, L, C]
      return head.apply(x, batch, ctx, 'TCN'); // -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<TcnConfig>;
