/**
 * TimeMixer's past-decomposable mixing (NeuralForecast's `MultiScaleSeasonMixing`,
 * `MultiScaleTrendMixing`, `PastDecomposableMixing`): every scale of the window is split into
 * seasonal and trend parts; seasonal parts are mixed bottom-up (fine → coarse), trends top-down
 * (coarse → fine), each by a two-layer MLP over time, and the sums carry on to the next block.
 * @see Wang et al. (2024), "TimeMixer: Decomposable Multiscale Mixing for Time Series Forecasting", ICLR. https://openreview.net/pdf?id=7oLshfEIC2
 */
import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../../nn/activations.js';
import { createLayerNorm } from '../../nn/layer-norm.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import type { SeriesParts } from '../../nn/series-decomp.js';

/** A seasonal/trend split of [B, T, d] sequences. */
export interface Decomposition {
  apply(x: tf.Tensor3D): SeriesParts<tf.Tensor3D>;
}

/** Linear(in, out), GELU, Linear(out, out): the MLP between two scales. */
interface TwoLayer {
  apply<T extends tf.Tensor>(x: T): T;
}

const twoLayer = (store: ParamStore, path: string, sizes: readonly [number, number, number]): TwoLayer => {
  const first = createLinear(store, { path: `${path}/lin_1`, inFeatures: sizes[0], outFeatures: sizes[1] });
  const second = createLinear(store, { path: `${path}/lin_2`, inFeatures: sizes[1], outFeatures: sizes[2] });
  return { apply: <T extends tf.Tensor>(x: T): T => second.apply(first.apply(x, gelu)) };
};

/** `mlp` over the rows of every [B, T_i, d] part at once: [Σ B·T_i, d] in, the parts' shapes out. */
const applyToRows = (mlp: TwoLayer, parts: readonly tf.Tensor3D[]): tf.Tensor3D[] => {
  const d = (parts[0] as tf.Tensor3D).shape[2];
  const rows = parts.map((p) => p.shape[0] * p.shape[1]);
  const flat = tf.concat(
    parts.map((p, i) => tf.reshape(p, [rows[i] as number, d])),
    0,
  ); // [Σ B·T_i, d]
  const out = mlp.apply(flat);
  return tf.split(out, rows, 0).map((p, i) => tf.reshape(p, parts[i]!.shape) as tf.Tensor3D);
};

/** Sizes of a past-decomposable mixing block. */
export interface PdmOptions {
  readonly path: string;
  /**
   * Steps of each scale, finest first (input_size / window^i; the model requires them whole, where
   * NeuralForecast's floor-sized pooling and ceil-sized up-sampling layers agree).
   */
  readonly lengths: readonly number[];
  readonly dModel: number;
  readonly dFf: number;
  /** 1: each series alone (the cross layer is left out, the out cross layer is used). */
  readonly channelIndependence: 0 | 1;
  readonly decomposition: Decomposition;
}

/** Bottom-up seasonal mixing over [B, d, T_i] parts: coarse_{i+1} += MLP_i(fine_i). */
const mixSeasons = (layers: readonly TwoLayer[], parts: readonly tf.Tensor3D[]): tf.Tensor3D[] => {
  const out = [parts[0] as tf.Tensor3D];
  for (let i = 0; i < layers.length; i += 1) {
    out.push(tf.add(parts[i + 1] as tf.Tensor3D, (layers[i] as TwoLayer).apply(out[i] as tf.Tensor3D)));
  }
  return out;
};

/** Top-down trend mixing over [B, d, T_i] parts: fine_i += MLP_i(coarse_{i+1}); layers[i] maps scale i+1 to i. */
const mixTrends = (layers: readonly TwoLayer[], parts: readonly tf.Tensor3D[]): tf.Tensor3D[] => {
  const out: tf.Tensor3D[] = new Array<tf.Tensor3D>(parts.length);
  out[parts.length - 1] = parts[parts.length - 1] as tf.Tensor3D;
  for (let i = parts.length - 2; i >= 0; i -= 1) {
    out[i] = tf.add(parts[i] as tf.Tensor3D, (layers[i] as TwoLayer).apply(out[i + 1] as tf.Tensor3D));
  }
  return out;
};

/**
 * `PastDecomposableMixing`. NeuralForecast also builds a LayerNorm(d_model) it never applies, and
 * the out cross layer whatever channel_independence is, applying it only when it is 1; both are
 * built here (same parameters, same count) and the unused ones never read.
 */
export function createPastDecomposableMixing(store: ParamStore, options: PdmOptions) {
  const { path, lengths, dModel, dFf } = options;
  const scales = lengths.length;
  createLayerNorm(store, `${path}/layer_norm`, dModel);
  const cross =
    options.channelIndependence === 0
      ? twoLayer(store, `${path}/cross_layer`, [dModel, dFf, dModel])
      : undefined;
  const down = Array.from({ length: scales - 1 }, (_, i) =>
    twoLayer(store, `${path}/season_${i}`, [
      lengths[i] as number,
      lengths[i + 1] as number,
      lengths[i + 1] as number,
    ]),
  );
  // NeuralForecast creates the up-sampling layers coarsest first; up[i] maps scale i+1 to scale i.
  const up: TwoLayer[] = new Array<TwoLayer>(scales - 1);
  for (let i = scales - 2; i >= 0; i -= 1) {
    up[i] = twoLayer(store, `${path}/trend_${i}`, [
      lengths[i + 1] as number,
      lengths[i] as number,
      lengths[i] as number,
    ]);
  }
  const outCross = twoLayer(store, `${path}/out_cross_layer`, [dModel, dFf, dModel]);
  return {
    /** [B, T_i, d] per scale -> the same shapes. */
    apply(xs: readonly tf.Tensor3D[]): tf.Tensor3D[] {
      return tf.tidy(() => {
        const parts = xs.map((x) => options.decomposition.apply(x));
        const all = [...parts.map((p) => p.seasonal), ...parts.map((p) => p.trend)]; // seasons then trends, [B, T_i, d] each
        // The cross layer acts on rows of d values: all scales' seasonal and trend rows go through
        // it as one [Σ B·T, d] batch (whole-buffer concat and split on the leading axis) instead of
        // one pass per part.
        const crossed = cross ? applyToRows(cross, all) : all;
        const seasons = crossed.slice(0, xs.length).map((p) => tf.transpose(p, [0, 2, 1])); // [B, T, d] -> [B, d, T]
        const trends = crossed.slice(xs.length).map((p) => tf.transpose(p, [0, 2, 1]));
        const mixedSeasons = mixSeasons(down, seasons);
        const mixedTrends = mixTrends(up, trends);
        return xs.map((x, i) => {
          const out = tf.transpose(
            tf.add(mixedSeasons[i] as tf.Tensor3D, mixedTrends[i] as tf.Tensor3D),
            [0, 2, 1],
          ) as tf.Tensor3D; // [B, d, T] -> [B, T, d]
          return options.channelIndependence === 1 ? tf.add(x, outCross.apply(out)) : out;
        });
      });
    },
  };
}
