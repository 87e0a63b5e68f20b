/**
 * XLinear: each series' window embedded by one linear layer, gated over time together with a
 * learnable global token per series, then gated across the series through that token; exogenous
 * inputs are projected per series and read by a linear head beside the gated embedding.
 * @see Xinyang C. et al. (2026), "XLinear: A Lightweight and Accurate MLP-Based Model for Long-Term Time Series Forecasting with Exogenous Inputs". https://arxiv.org/abs/2601.09237
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { MultivariateBatch, MultivariateModelSpec } from '../../model/types.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear, type Linear } from '../../nn/linear.js';
import { normalVariable } from '../../nn/normal-init.js';
import { createParamStore } from '../../nn/params.js';
import { createRevin } from '../../nn/revin.js';
import { checkMultivariateDims, nSeriesSchema, toMultivariateNetwork } from '../multivariate.js';
import { requireInput } from '../network.js';
import { createGatingBlock } from './gating.js';
import { xlinearSearchSpace } from './search-space.js';

const rate = z.number().min(0).max(1);

/** XLinear's own hyperparameters, with NeuralForecast's names and defaults. */
export const xlinearConfigSchema = z.object({
  /** Number of series seen together (required). */
  n_series: nSeriesSchema('XLinear'),
  /** Width of each series' embedding. @default 128 */
  hidden_size: z.number().int().min(1).default(128),
  /** Hidden units of the temporal gate. @default 256 */
  temporal_ff: z.number().int().min(1).default(256),
  /** Hidden units of the cross-series gate (NeuralForecast advises a multiple of n_series). @default 8 */
  channel_ff: z.number().int().min(1).default(8),
  /** Dropout inside the temporal gate. @default 0 */
  temporal_dropout: rate.default(0),
  /** Dropout inside the cross-series gate. @default 0 */
  channel_dropout: rate.default(0),
  /** Dropout after the embedding. @default 0 */
  embed_dropout: rate.default(0),
  /** Dropout before the head. @default 0 */
  head_dropout: rate.default(0),
  /** Instance normalisation of each window (RevIN without affine) around the network. @default true */
  use_norm: z.boolean().default(true),
});

/** Parsed XLinear config. */
export type XlinearConfig = z.output<typeof xlinearConfigSchema>;

/** NeuralForecast's capability table row for XLinear (categorical exogenous are not part of the engine). */
const exogenous = { futr: true, hist: true, stat: true } as const;

const LABEL = 'XLinear';

/** Per-series projections of the exogenous inputs, each to hidden_size, in NeuralForecast's order. */
const exogenousProjections = (
  batch: MultivariateBatch,
  layers: { hist?: Linear; futr?: Linear; stat?: Linear },
  B: number,
): tf.Tensor3D[] => {
  const parts: tf.Tensor3D[] = [];
  const perSeries = (x: tf.Tensor4D): tf.Tensor3D => {
    const [, c, t, n] = x.shape;
    return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [B, n, c * t]); // [B, C, T, N] -> [B, N, C, T] -> [B, N, C*T]
  };
  if (layers.hist) parts.push(layers.hist.apply(perSeries(requireInput(batch.histExog, 'histExog', LABEL))));
  if (layers.futr) parts.push(layers.futr.apply(perSeries(requireInput(batch.futrExog, 'futrExog', LABEL))));
  if (layers.stat) {
    const stat = layers.stat.apply(requireInput(batch.statExog, 'statExog', LABEL)); // [N, S] -> [N, hidden]
    parts.push(tf.tile(tf.expandDims(stat, 0), [B, 1, 1]) as tf.Tensor3D); // [N, hidden] -> [B, N, hidden]
  }
  return parts;
};

/** NeuralForecast's `XLinear`. */
export const xlinear = {
  id: 'xlinear',
  label: LABEL,
  description:
    'Linear embedding with temporal and cross-series sigmoid gating through a global token, and exogenous projections (2026).',
  family: 'linear',
  kind: 'multivariate',
  forecastType: 'direct',
  exogenous,
  configSchema: xlinearConfigSchema,
  commonDefaults: { windows_batch_size: 32, inference_windows_batch_size: 32 },
  defaultSearchSpace: xlinearSearchSpace,
  build(config, dims, seed) {
    checkMultivariateDims({ label: LABEL, exogenous }, dims);
    const { h, inputSize: L, nOutputs: K, nSeries: N } = dims;
    const { futrExogSize: F, histExogSize: X, statExogSize: S } = dims;
    const D = config.hidden_size;
    const store = createParamStore('xlinear', seed);
    const projection = createLinear(store, { path: 'projection', inFeatures: L, outFeatures: D });
    const globToken = normalVariable(store, 'glob_token/weight', [1, N, D], 1); // torch.randn
    const temporal = createGatingBlock(store, {
      path: 'temporal_gating',
      features: 2 * D,
      hidden: config.temporal_ff,
      dropout: config.temporal_dropout,
    });
    const channel = createGatingBlock(store, {
      path: 'channel_gating',
      features: 2 * N,
      hidden: config.channel_ff,
      dropout: config.channel_dropout,
    });
    const project = (path: string, inFeatures: number) =>
      createLinear(store, { path, inFeatures, outFeatures: D });
    const layers = {
      ...(X > 0 ? { hist: project('hist_exog_projection', X * L) } : {}),
      ...(F > 0 ? { futr: project('futr_exog_projection', F * (L + h)) } : {}),
      ...(S > 0 ? { stat: project('stat_exog_projection', S) } : {}),
    };
    const headIn = (2 + Object.keys(layers).length) * D;
    const head = createLinear(store, { path: 'head', inFeatures: headIn, outFeatures: h * K });
    const norm = config.use_norm ? createRevin(store, { path: 'norm', numFeatures: N }) : undefined;
    const gate = (emb: tf.Tensor3D, B: number, ctx: ForwardContext): tf.Tensor3D => {
      const glob = tf.tile(globToken, [B, 1, 1]); // [1, N, D] -> [B, N, D]
      const enAtten = temporal.apply(tf.concat([emb, glob], 2) as tf.Tensor3D, ctx); // [B, N, 2D]
      const origin = tf.slice(enAtten, [0, 0, 0], [-1, -1, D]); // [B, N, D]
      const globAtten = tf.slice(enAtten, [0, 0, D], [-1, -1, D]); // [B, N, D]
      const exEmb = tf.transpose(tf.concat([emb, globAtten], 1), [0, 2, 1]); // [B, 2N, D] -> [B, D, 2N]
      const exAtten = channel.apply(exEmb, ctx); // [B, D, 2N]
      const cross = tf.transpose(tf.slice(exAtten, [0, 0, N], [-1, -1, N]), [0, 2, 1]); // [B, D, N] -> [B, N, D]
      return tf.concat([origin, cross], 2) as tf.Tensor3D; // [B, N, 2D]
    };
    return toMultivariateNetwork(store, (batch, ctx) => {
      const B = batch.insampleY.shape[0];
      const normalized = norm?.normalize(batch.insampleY);
      const y = normalized?.normalized ?? batch.insampleY; // [B, L, N]
      const emb = dropout(projection.apply(tf.transpose(y, [0, 2, 1])), config.embed_dropout, ctx); // [B, N, L] -> [B, N, D]
      const parts = [gate(emb, B, ctx), ...exogenousProjections(batch, layers, B)];
      const features = parts.length === 1 ? (parts[0] as tf.Tensor3D) : (tf.concat(parts, 2) as tf.Tensor3D); // [B, N, headIn]
      const out = head.apply(dropout(features, config.head_dropout, ctx)); // [B, N, H*K]
      let forecast = tf.transpose(out, [0, 2, 1]) as tf.Tensor3D; // [B, H*K, N]
      if (norm && normalized) forecast = norm.denormalize(forecast, normalized.stats); // per series
      return tf.transpose(tf.reshape(forecast, [B, h, K, N]), [0, 1, 3, 2]); // [B, H*K, N] -> [B, H, K, N] -> [B, H, N, K]
    });
  },
} as const satisfies MultivariateModelSpec<XlinearConfig>;
