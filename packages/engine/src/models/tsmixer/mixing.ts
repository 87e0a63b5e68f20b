/**
 * TSMixer's mixing layers (NeuralForecast's `TemporalMixing`, `FeatureMixing`, `MixingLayer`):
 * a time MLP shared by every channel, then a channel MLP shared by every step, each after a batch
 * norm over the flattened [L·C] window and added back to its input.
 * @see Chen et al. (2023), "TSMixer: An All-MLP Architecture for Time Series Forecasting". http://arxiv.org/abs/2303.06053
 */
import * as tf from '@tensorflow/tfjs-core';
import { relu } from '../../nn/activations.js';
import { createBatchNorm, type BatchNorm } from '../../nn/batch-norm.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** NeuralForecast's TSMixer batch norms: `nn.BatchNorm1d(eps=0.001, momentum=0.01)`. */
const NORM = { eps: 1e-3, momentum: 0.01 } as const;

/** Sizes of one mixing layer over [B, L, C] windows. */
export interface MixingOptions {
  /** Variable path of the layer (`mixing_0`). */
  readonly path: string;
  /** Steps L of the window. */
  readonly steps: number;
  /** Channels C (the series, for TSMixer). */
  readonly channels: number;
  /** Hidden units of the channel MLP (`ff_dim`). */
  readonly ffDim: number;
  readonly dropout: number;
}

/** A layer over [B, L, C] that keeps the shape. */
export interface MixingBlock {
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Batch norm over the window flattened in `order` ([B, C, L] for time mixing, [B, L, C] for feature mixing). */
const normFlat = (norm: BatchNorm, x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D => {
  const [B, a, b] = x.shape;
  return tf.reshape(norm.apply(tf.reshape(x, [B, a * b]), ctx), [B, a, b]); // [B, a, b] -> [B, a*b] -> [B, a, b]
};

/** `TemporalMixing`: x + dropout(relu(Linear_L(norm(x) over time))). */
export function createTemporalMixing(store: ParamStore, options: MixingOptions): MixingBlock {
  const { path, steps: L, channels: C } = options;
  const norm = createBatchNorm(store, `${path}/temporal_norm`, C * L, NORM);
  const lin = createLinear(store, { path: `${path}/temporal_lin`, inFeatures: L, outFeatures: L });
  return {
    apply(input, ctx) {
      return tf.tidy(() => {
        const x = normFlat(norm, tf.transpose(input, [0, 2, 1]), ctx); // [B, L, C] -> [B, C, L], normalised over C*L
        const mixed = tf.transpose(lin.apply(x, relu), [0, 2, 1]); // [B, C, L] -> [B, C, L] -> [B, L, C]
        return tf.add(dropout(mixed, options.dropout, ctx), input);
      });
    },
  };
}

/** `FeatureMixing`: x + dropout(Linear_ff→C(dropout(relu(Linear_C→ff(norm(x)))))). */
export function createFeatureMixing(store: ParamStore, options: MixingOptions): MixingBlock {
  const { path, steps: L, channels: C, ffDim } = options;
  const norm = createBatchNorm(store, `${path}/feature_norm`, L * C, NORM);
  const lin1 = createLinear(store, { path: `${path}/feature_lin_1`, inFeatures: C, outFeatures: ffDim });
  const lin2 = createLinear(store, { path: `${path}/feature_lin_2`, inFeatures: ffDim, outFeatures: C });
  return {
    apply(input, ctx) {
      return tf.tidy(() => {
        const x = normFlat(norm, input, ctx); // [B, L, C], normalised over L*C
        const hidden = dropout(lin1.apply(x, relu), options.dropout, ctx); // [B, L, C] -> [B, L, ff]
        return tf.add(dropout(lin2.apply(hidden), options.dropout, ctx), input); // [B, L, ff] -> [B, L, C]
      });
    },
  };
}

/** `MixingLayer`: temporal mixing, then feature mixing. */
export function createMixingLayer(store: ParamStore, options: MixingOptions): MixingBlock {
  const temporal = createTemporalMixing(store, options);
  const feature = createFeatureMixing(store, options);
  return { apply: (x, ctx) => tf.tidy(() => feature.apply(temporal.apply(x, ctx), ctx)) };
}
