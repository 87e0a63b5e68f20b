/**
 * TSMixerx: TSMixer with exogenous variables — the input window and its historical and future
 * covariates projected onto the horizon, mixed with the horizon's future covariates and the
 * statics, then stacked mixing layers over [B, h, ff_dim].
 * @see Chen et al. (2023), "TSMixer: An All-MLP Architecture for Time Series Forecasting". http://arxiv.org/abs/2303.06053
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MultivariateBatch, MultivariateDims, MultivariateModelSpec } from '../../model/types.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore, type ParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { requireInput } from '../network.js';
import { tsmixerSearchSpace } from '../tsmixer/search-space.js';
import {
  createHorizonFeatureMixing,
  createHorizonMixingLayer,
  createStaticMixingLayer,
  type HorizonMixer,
} from './mixing.js';

/** TSMixerx's own hyperparameters, with NeuralForecast's names and defaults. */
export const tsmixerxConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('TSMixerx'),
  /** Mixing layers after the first one. @default 2 */
  n_block: z.number().int().min(1).default(2),
  /** Channels of the mixed representation and hidden units of every feature MLP. @default 64 */
  ff_dim: z.number().int().min(1).default(64),
  /** Dropout rate of the mixing layers. @default 0 */
  dropout: z.number().min(0).max(1).default(0),
  /** Reversible instance normalisation (learnable, per series) of the target. @default true */
  revin: z.boolean().default(true),
});

/** Parsed TSMixerx config. */
export type TsmixerxConfig = z.output<typeof tsmixerxConfigSchema>;

/** NeuralForecast's capability table row for TSMixerx. */
const exogenous = { futr: true, hist: true, stat: true } as const;

const LABEL = 'TSMixerx';

/** The input-side layers: projection of the window onto the horizon and the exogenous mixers. */
const createInputMixers = (store: ParamStore, config: TsmixerxConfig, dims: MultivariateDims) => {
  const { h, inputSize: L, nSeries: N, futrExogSize: F, histExogSize: X, statExogSize: S } = dims;
  const mixer = (path: string, inFeatures: number) =>
    createHorizonFeatureMixing(store, {
      path,
      steps: h,
      inFeatures,
      outFeatures: config.ff_dim,
      ffDim: config.ff_dim,
      dropout: config.dropout,
    });
  return {
    temporalProjection: createLinear(store, { path: 'temporal_projection', inFeatures: L, outFeatures: h }),
    hist: mixer('feature_mixer_hist', N * (1 + X + F)),
    futr: F > 0 ? mixer('feature_mixer_futr', N * F) : undefined,
    stat: S > 0 ? mixer('feature_mixer_stat', N * S) : undefined,
  };
};

/**
 * [B, h, k·ff_dim]: y (RevIN-normalised) with the input part of the covariates, projected L -> h and
 * mixed; beside it the horizon's future covariates and the statics, each mixed to ff_dim.
 */
const mixInputs = (options: {
  readonly mixers: ReturnType<typeof createInputMixers>;
  readonly batch: MultivariateBatch;
  readonly y: tf.Tensor3D;
  readonly stat: tf.Tensor3D | undefined;
  readonly dims: MultivariateDims;
  readonly ctx: ForwardContext;
}): tf.Tensor3D => {
  const { mixers, batch, dims, ctx } = options;
  const { h, inputSize: L } = dims;
  const [B] = options.y.shape;
  const channels: tf.Tensor4D[] = [tf.expandDims(options.y, 1) as tf.Tensor4D]; // [B, L, N] -> [B, 1, L, N]
  if (dims.histExogSize > 0) channels.push(requireInput(batch.histExog, 'histExog', LABEL)); // [B, X, L, N]
  const futr = dims.futrExogSize > 0 ? requireInput(batch.futrExog, 'futrExog', LABEL) : undefined; // [B, F, L+h, N]
  if (futr) channels.push(tf.slice(futr, [0, 0, 0, 0], [-1, -1, L, -1])); // [B, F, L, N]
  const x = channels.length === 1 ? (channels[0] as tf.Tensor4D) : (tf.concat(channels, 1) as tf.Tensor4D); // [B, C, L, N]
  const projected = mixers.temporalProjection.apply(tf.transpose(x, [0, 1, 3, 2])); // [B, C, N, L] -> [B, C, N, h]
  const flat = tf.reshape(tf.transpose(projected, [0, 3, 1, 2]), [B, h, -1]) as tf.Tensor3D; // [B, h, C, N] -> [B, h, C*N]
  const parts = [mixers.hist.apply(flat, ctx)]; // [B, h, ff]
  if (futr && mixers.futr) {
    const ahead = tf.slice(futr, [0, 0, L, 0], [-1, -1, h, -1]); // [B, F, h, N]
    const horizon = tf.reshape(tf.transpose(ahead, [0, 2, 1, 3]), [B, h, -1]) as tf.Tensor3D; // [B, h, F, N] -> [B, h, F*N]
    parts.push(mixers.futr.apply(horizon, ctx));
  }
  if (options.stat && mixers.stat) parts.push(mixers.stat.apply(options.stat, ctx));
  return parts.length === 1 ? (parts[0] as tf.Tensor3D) : (tf.concat(parts, 2) as tf.Tensor3D); // [B, h, k*ff]
};

/** A mixing block of the stack: with statics, it mixes them in again; without, it ignores them. */
interface StackBlock {
  apply(x: tf.Tensor3D, stat: tf.Tensor3D | undefined, ctx: ForwardContext): tf.Tensor3D;
}

const withoutStatics = (layer: HorizonMixer): StackBlock => ({
  apply: (x, _stat, ctx) => layer.apply(x, ctx),
});

/** NeuralForecast's `TSMixerx`. */
export const tsmixerx = {
  id: 'tsmixerx',
  label: LABEL,
  description: 'TSMixer with future, historical and static exogenous mixing (Chen et al., 2023).',
  family: 'mlp',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: tsmixerxConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: tsmixerSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: LABEL, exogenous }, dims);
    const { h, nOutputs: K, nSeries: N, futrExogSize: F, statExogSize: S } = dims;
    const ff = config.ff_dim;
    const store = createParamStore('tsmixerx', seed);
    const norm = config.revin
      ? createRevin(store, { path: 'norm', numFeatures: N, affine: true, exactAffineInverse: true })
      : undefined;
    const mixers = createInputMixers(store, config, dims);
    const mixing = { steps: h, ffDim: ff, dropout: config.dropout };
    const first = createHorizonMixingLayer(store, {
      ...mixing,
      path: 'first_mixing',
      inFeatures: (1 + (F > 0 ? 1 : 0) + (S > 0 ? 1 : 0)) * ff,
      outFeatures: ff,
    });
    const blocks = Array.from({ length: config.n_block }, (_, i) =>
      S > 0
        ? createStaticMixingLayer(store, { ...mixing, path: `mixing_block_${i}`, statFeatures: N * S })
        : withoutStatics(
            createHorizonMixingLayer(store, {
              ...mixing,
              path: `mixing_block_${i}`,
              inFeatures: ff,
              outFeatures: ff,
            }),
          ),
    );
    const out = createLinear(store, { path: 'out', inFeatures: ff, outFeatures: K * N });
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const normalized = norm?.normalize(batch.insampleY);
      const stat =
        S > 0
          ? (tf.tile(tf.reshape(requireInput(batch.statExog, 'statExog', LABEL), [1, 1, N * S]), [
              B,
              h,
              1,
            ]) as tf.Tensor3D) // [N, S] -> [B, h, N*S]
          : undefined;
      const y = normalized?.normalized ?? batch.insampleY; // [B, L, N]
      let x = first.apply(mixInputs({ mixers, batch, y, stat, dims, ctx }), ctx); // [B, h, k*ff] -> [B, h, ff]
      for (const block of blocks) x = block.apply(x, stat, ctx);
      // [B, h, ff] -> [B, h, K*N] -> [B, h*K, N], the layout RevIN undoes per series.
      let forecast = tf.reshape(out.apply(x), [B, h * K, N]) as tf.Tensor3D;
      if (norm && normalized) forecast = norm.denormalize(forecast, normalized.stats);
      return tf.transpose(tf.reshape(forecast, [B, h, K, N]), [0, 1, 3, 2]); // [B, h, K, N] -> [B, h, N, K]
    });
  },
} as const satisfies MultivariateModelSpec<TsmixerxConfig>;
