/**
 * BiTCN: two stacks of dilated convolutions. The backward (causal) stack encodes the input window —
 * target, hist, repeated static and the window's futr columns — and a dense layer over time maps
 * its L steps to the H horizon steps per channel. With future covariates, a forward (anti-causal)
 * stack encodes them over L+H steps, so step t sees the covariates from t onwards; its first L
 * steps join the backward encoding before the time mapping and its last H steps join the result.
 * A dense layer per horizon step gives the outputs. NeuralForecast 3.2's `BiTCN`.
 * @see Sprangers, Schelter & de Rijke (2023), "Parameter-Efficient Deep Probabilistic Forecasting", IJF 39(1). https://doi.org/10.1016/j.ijforecast.2021.11.011
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { dropout } from '../../nn/dropout.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput, toNetwork } from '../network.js';
import { geluDropout } from './gelu-dropout.js';
import { bitcnSearchSpace } from './search-space.js';
import { createTcnStack, tcnLayerCount } from './tcn-cell.js';

/** BiTCN's own hyperparameters, with NeuralForecast's names and defaults. */
export const bitcnConfigSchema = z.object({
  /** Channels of both convolution stacks and units of the temporal dense layer. @default 16 */
  hidden_size: z.number().int().min(1).default(16),
  /**
   * Dropout after every input projection, convolution and the temporal dense layer. The class
   * signature's default (0.5) is used; its docstring says 0.1. @default 0.5
   */
  dropout: z.number().min(0).lt(1).default(0.5),
});

/** Parsed BiTCN config. */
export type BitcnConfig = z.output<typeof bitcnConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `BiTCN`. */
export const bitcn = {
  id: 'bitcn',
  label: 'BiTCN',
  description:
    'Bidirectional Temporal Convolutional Network: a causal TCN over the past and an anti-causal one over future covariates (Sprangers et al., 2023).',
  family: 'cnn',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: bitcnConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-3,
    num_lr_decays: -1,
    windows_batch_size: 1024,
    inference_windows_batch_size: 1024,
    scaler_type: 'identity',
  },
  defaultSearchSpace: bitcnSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'BiTCN', exogenous }, dims);
    const { h, inputSize: L, futrExogSize: F, histExogSize: X, statExogSize: S, nOutputs: K } = dims;
    if (L < 2) {
      // NeuralForecast builds ceil(log2(L)) = 0 backward cells at L = 1 and then fails in forward.
      throw new ConfigError(
        `BiTCN: input_size must be at least 2 (got ${L}); its backward TCN has ceil(log2(input_size)) layers`,
      );
    }
    const C = config.hidden_size;
    const rate = config.dropout;
    const store = createParamStore('bitcn', seed);
    // Created in NeuralForecast's registration order: lin_hist, net_bwd, lin_futr, net_fwd, temporal, output.
    const linHist = createLinear(store, { path: 'lin_hist', inFeatures: 1 + X + S + F, outFeatures: C });
    const netBwd = createTcnStack(store, {
      path: 'net_bwd',
      channels: C,
      layers: tcnLayerCount(L),
      mode: 'backward',
      dropout: rate,
    });
    const futrNet =
      F > 0
        ? {
            lin: createLinear(store, { path: 'lin_futr', inFeatures: F, outFeatures: C }),
            net: createTcnStack(store, {
              path: 'net_fwd',
              channels: C,
              layers: tcnLayerCount(L + h),
              mode: 'forward',
              dropout: rate,
            }),
          }
        : undefined;
    const temporal1 = createLinear(store, { path: 'temporal_lin1', inFeatures: L, outFeatures: C });
    const temporal2 = createLinear(store, { path: 'temporal_lin2', inFeatures: C, outFeatures: h });
    // Backward encoding, plus the forward one's window part and horizon part with future covariates.
    const width = (futrNet ? 3 : 1) * C;
    const output = createLinear(store, { path: 'output_lin', inFeatures: width, outFeatures: K });
    return toNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const parts: tf.Tensor3D[] = [batch.insampleY]; // [B, L, 1]
      if (X > 0) parts.push(requireInput(batch.histExog, 'histExog', 'BiTCN')); // [B, L, X]
      if (S > 0) {
        const stat = requireInput(batch.statExog, 'statExog', 'BiTCN'); // [B, S]
        parts.push(tf.tile(tf.reshape(stat, [B, 1, S]), [1, L, 1]) as tf.Tensor3D); // -> [B, L, S]
      }
      let futrEncoded: { window: tf.Tensor3D; horizon: tf.Tensor3D } | undefined;
      if (futrNet) {
        const futr = requireInput(batch.futrExog, 'futrExog', 'BiTCN'); // [B, L+H, F]
        parts.push(tf.slice(futr, [0, 0, 0], [B, L, F])); // [B, L, F]
        const encoded = futrNet.net.apply(dropout(futrNet.lin.apply(futr), rate, ctx), ctx); // -> [B, L+H, C]
        futrEncoded = {
          window: tf.slice(encoded, [0, 0, 0], [B, L, C]), // [B, L, C]
          horizon: tf.slice(encoded, [0, L, 0], [B, h, C]), // [B, H, C]
        };
      }
      const x = parts.length === 1 ? batch.insampleY : tf.concat(parts, 2); // [B, L, 1+X+S+F]
      let encoded = netBwd.apply(dropout(linHist.apply(x), rate, ctx), ctx); // -> [B, L, C]
      if (futrEncoded) encoded = tf.concat([encoded, futrEncoded.window], 2); // -> [B, L, 2C]
      // The temporal layers act on the time axis of each channel: [B, L, c] -> [B, c, L] -> [B, c, H].
      const perChannel = tf.transpose(encoded, [0, 2, 1]); // [B, c, L]
      const mixed = temporal2.apply(geluDropout(temporal1.apply(perChannel), rate, ctx)); // -> [B, c, C] -> [B, c, H]
      let features = tf.transpose(mixed, [0, 2, 1]) as tf.Tensor3D; // -> [B, H, c]
      if (futrEncoded) features = tf.concat([features, futrEncoded.horizon], 2); // -> [B, H, 3C]
      return output.apply(features); // -> [B, H, K]
    });
  },
} as const satisfies ModelSpec<BitcnConfig>;
