/**
 * TSMixerx's mixing layers (NeuralForecast's tsmixerx.py `TemporalMixing`, `FeatureMixing`,
 * `MixingLayer`, `MixingLayerWithStaticExogenous`). Unlike TSMixer's they work on the horizon
 * [B, h, C] after the temporal projection, put a layer norm over (h, C) after the residual sum,
 * and a feature mixing may change the channel count (then the residual is projected too).
 * @see Chen et al. (2023), "TSMixer: An All-MLP Architecture for Time Series Forecasting". http://arxiv.org/abs/2303.06053
 */
import * as tf from '@tensorflow/tfjs-core';
import { relu } from '../../nn/activations.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import { addNorm } from './add-norm.js';

/** A layer over [B, h, C_in] windows giving [B, h, C_out]. */
export interface HorizonMixer {
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Sizes of a feature mixing. */
export interface FeatureMixingOptions {
  readonly path: string;
  /** Horizon steps h. */
  readonly steps: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly ffDim: number;
  readonly dropout: number;
}

/** PyTorch's LayerNorm epsilon. */
const EPS = 1e-5;

/**
 * `LayerNorm((h, C))` applied to a residual sum, x + residual: gain `<path>/weight` (ones) and
 * shift `<path>/bias` (zeros) of shape [h, C], as one op ({@link addNorm}).
 */
const createResidualNorm = (store: ParamStore, path: string, shape: readonly [number, number]) => {
  const weight = store.constant(`${path}/weight`, [...shape], 1);
  const bias = store.constant(`${path}/bias`, [...shape], 0);
  return { apply: (x: tf.Tensor3D, residual: tf.Tensor3D) => addNorm(x, residual, weight, bias, EPS) };
};

/** `TemporalMixing`: LayerNorm_(h,C)(x + dropout(relu(Linear_h(x) over time))). */
export function createHorizonTemporalMixing(
  store: ParamStore,
  options: {
    readonly path: string;
    readonly steps: number;
    readonly channels: number;
    readonly dropout: number;
  },
): HorizonMixer {
  const { path, steps: h, channels: C } = options;
  const norm = createResidualNorm(store, `${path}/temporal_norm`, [h, C]);
  const lin = createLinear(store, { path: `${path}/temporal_lin`, inFeatures: h, outFeatures: h });
  return {
    apply(input, ctx) {
      return tf.tidy(() => {
        const x = tf.transpose(lin.apply(tf.transpose(input, [0, 2, 1]), relu), [0, 2, 1]); // [B, h, C] -> [B, C, h] -> [B, h, C]
        return norm.apply(dropout(x, options.dropout, ctx), input);
      });
    },
  };
}

/** `FeatureMixing`: LayerNorm_(h,C_out)(dropout(Linear(dropout(relu(Linear(x))))) + x or its projection). */
export function createHorizonFeatureMixing(store: ParamStore, options: FeatureMixingOptions): HorizonMixer {
  const { path, steps: h, inFeatures, outFeatures, ffDim } = options;
  const lin1 = createLinear(store, { path: `${path}/feature_lin_1`, inFeatures, outFeatures: ffDim });
  const lin2 = createLinear(store, { path: `${path}/feature_lin_2`, inFeatures: ffDim, outFeatures });
  const project =
    inFeatures === outFeatures
      ? undefined
      : createLinear(store, { path: `${path}/project_residual`, inFeatures, outFeatures });
  const norm = createResidualNorm(store, `${path}/feature_norm`, [h, outFeatures]);
  return {
    apply(input, ctx) {
      return tf.tidy(() => {
        const hidden = dropout(lin1.apply(input, relu), options.dropout, ctx); // [B, h, C_in] -> [B, h, ff]
        const x = dropout(lin2.apply(hidden), options.dropout, ctx); // [B, h, ff] -> [B, h, C_out]
        const residual = project ? project.apply(input) : input; // [B, h, C_in] -> [B, h, C_out]
        return norm.apply(x, residual);
      });
    },
  };
}

/** `MixingLayer`: temporal mixing over C_in channels, then feature mixing C_in -> C_out. */
export function createHorizonMixingLayer(store: ParamStore, options: FeatureMixingOptions): HorizonMixer {
  const temporal = createHorizonTemporalMixing(store, {
    path: `${options.path}/temporal_mixer`,
    steps: options.steps,
    channels: options.inFeatures,
    dropout: options.dropout,
  });
  const feature = createHorizonFeatureMixing(store, { ...options, path: `${options.path}/feature_mixer` });
  return { apply: (x, ctx) => tf.tidy(() => feature.apply(temporal.apply(x, ctx), ctx)) };
}

/**
 * `MixingLayerWithStaticExogenous`: the statics [B, h, N·S] mixed to ff_dim, concatenated to x
 * [B, h, ff_dim], then a mixing layer 2·ff_dim -> ff_dim.
 */
export function createStaticMixingLayer(
  store: ParamStore,
  options: {
    readonly path: string;
    readonly steps: number;
    readonly ffDim: number;
    readonly dropout: number;
    readonly statFeatures: number;
  },
): { apply(x: tf.Tensor3D, stat: tf.Tensor3D | undefined, ctx: ForwardContext): tf.Tensor3D } {
  const { path, steps, ffDim } = options;
  const stat = createHorizonFeatureMixing(store, {
    path: `${path}/feature_mixer_stat`,
    steps,
    inFeatures: options.statFeatures,
    outFeatures: ffDim,
    ffDim,
    dropout: options.dropout,
  });
  const mixing = createHorizonMixingLayer(store, {
    path,
    steps,
    inFeatures: 2 * ffDim,
    outFeatures: ffDim,
    ffDim,
    dropout: options.dropout,
  });
  return {
    apply(x, s, ctx) {
      if (!s) throw new Error('TSMixerx: a static mixing layer needs the statics [B, h, N*S]');
      return tf.tidy(() => mixing.apply(tf.concat([x, stat.apply(s, ctx)], 2) as tf.Tensor3D, ctx)); // [B, h, 2*ff] -> [B, h, ff]
    },
  };
}
