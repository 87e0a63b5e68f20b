/**
 * SOFTS's STAR block (STar Aggregate-Redistribute, NeuralForecast's `STAD`), which takes the
 * attention's place in each encoder layer: an MLP maps every series token to a core of d_core
 * channels, the cores of the N series are pooled into one global core, and a second MLP fuses each
 * token with that core. SOFTSSharp's `STADSharp` adds a variable-position encoding of the tokens
 * (kept with probability `pe_keep_prob` while training, scaled by it at inference, with a learnable
 * scale) and dropout inside the block.
 * @see Han et al. (2024), "SOFTS: Efficient Multivariate Time Series Forecasting with Series-Core Fusion". https://arxiv.org/abs/2404.14197
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@nflab/contracts';
import { gelu } from '../../nn/activations.js';
import { positionalTable } from '../../nn/data-embedding.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import type { TokenMixer } from '../../nn/transformer-layers.js';

/** `torch.nan_to_num`'s bounds: ±∞ become float32's largest finite values. */
const FLOAT32_MAX = 3.4028234663852886e38;

const nanToNum = (v: number): number =>
  Number.isNaN(v) ? 0 : v === Infinity ? FLOAT32_MAX : v === -Infinity ? -FLOAT32_MAX : v;

/**
 * The one-hot [B, N, C] choice of STAR's stochastic pooling: for every window b and core channel c,
 * one series n drawn with probability softmax over n of `core[b, ·, c]` (NaNs read as 0, as
 * NeuralForecast's `nan_to_num` before `torch.multinomial`).
 */
export function sampleSeriesChoice(core: tf.Tensor3D, rng: Rng): tf.Tensor3D {
  const [B, N, C] = core.shape;
  const values = core.dataSync();
  const choice = new Float32Array(B * N * C);
  const weights = new Float64Array(N);
  for (let b = 0; b < B; b += 1) {
    for (let c = 0; c < C; c += 1) {
      let top = -Infinity;
      for (let n = 0; n < N; n += 1) top = Math.max(top, nanToNum(values[(b * N + n) * C + c] as number));
      let total = 0;
      for (let n = 0; n < N; n += 1) {
        weights[n] = Math.exp(nanToNum(values[(b * N + n) * C + c] as number) - top);
        total += weights[n] as number;
      }
      let u = rng.next() * total;
      let pick = N - 1; // rounding can leave u above the last cumulative sum
      for (let n = 0; n < N; n += 1) {
        u -= weights[n] as number;
        if (u < 0) {
          pick = n;
          break;
        }
      }
      choice[(b * N + pick) * C + c] = 1;
    }
  }
  return tf.tensor3d(choice, [B, N, C]);
}

/**
 * STAR's aggregation of the series cores [B, N, C] into one core [B, 1, C]. Training: for each
 * channel, the value of one series drawn with probability softmax(core) over the series (stochastic
 * pooling; the gradient reaches the drawn value only, as `torch.gather`). Inference: the
 * softmax-weighted sum over the series, Σₙ softmax(core)ₙ · coreₙ.
 */
export function starPool(core: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
  return tf.tidy(() => {
    if (ctx.training) {
      return tf.sum(tf.mul(core, sampleSeriesChoice(core, new Rng(ctx.nextSeed()))), 1, true);
    }
    const shifted = tf.exp(tf.sub(core, tf.max(core, 1, true))); // softmax over the series axis
    const weight = tf.div(shifted, tf.sum(shifted, 1, true));
    return tf.sum(tf.mul(core, weight), 1, true);
  });
}

/** Options of {@link createStar}. */
export interface StarOptions {
  /** Variable path (`encoder/attn_layers_0/attention`). */
  readonly path: string;
  /** Width of each series token (`hidden_size`, NeuralForecast's `d_series`). */
  readonly seriesDim: number;
  /** Channels of the core (`d_core`). */
  readonly coreDim: number;
  /**
   * SOFTSSharp only: dropout after gen1's activation, on the redistributed core and after gen3's
   * activation (SOFTS has none inside the block). @default 0
   */
  readonly dropout?: number;
  /** SOFTSSharp only: the variable-position encoding, kept with probability `keepProb` while training. */
  readonly positional?: { readonly keepProb: number };
}

/**
 * Creates a STAR block (gen1 … gen4, and SOFTSSharp's `pe_scale` first) with the self-attention
 * signature, so {@link createTransEncoderLayer} takes it as its attention; keys and values are the
 * queries, as the encoder layer passes x three times.
 */
export function createStar(store: ParamStore, options: StarOptions): TokenMixer {
  const { path, seriesDim: E, coreDim: C } = options;
  const rate = options.dropout ?? 0;
  const peScale = options.positional ? store.constant(`${path}/pe_scale/weight`, [1], 1) : undefined;
  const linear = (name: string, inFeatures: number, outFeatures: number) =>
    createLinear(store, { path: `${path}/${name}`, inFeatures, outFeatures });
  const gen1 = linear('gen1', E, E);
  const gen2 = linear('gen2', E, C);
  const gen3 = linear('gen3', E + C, E);
  const gen4 = linear('gen4', E, E);
  // The sinusoidal table is cached as plain numbers: a kept tensor would outlive the network's dispose.
  let table: { N: number; values: Float32Array } | undefined;
  const positions = (N: number): tf.Tensor3D => {
    if (table?.N !== N) table = { N, values: positionalTable(N, E) };
    return tf.tensor3d(table.values, [1, N, E]); // [1, N, E]
  };
  /** Adds the series-position encoding: always scaled by keepProb·pe_scale at inference; all or nothing while training. */
  const encodePositions = (x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D => {
    if (!options.positional || !peScale) return x;
    const { keepProb } = options.positional;
    if (ctx.training) {
      const keep = new Rng(ctx.nextSeed()).next() < keepProb;
      return keep ? tf.add(x, tf.mul(positions(x.shape[1]), peScale)) : x;
    }
    return tf.add(x, tf.mul(positions(x.shape[1]), tf.mul(peScale, keepProb)));
  };
  return {
    apply(queries, _keys, _values, ctx) {
      return tf.tidy(() => {
        const N = queries.shape[1];
        const x = encodePositions(queries, ctx); // [B, N, E]
        const core = gen2.apply(dropout(gen1.apply(x, gelu), rate, ctx)); // [B, N, E] -> [B, N, C]
        const pooled = tf.tile(starPool(core, ctx), [1, N, 1]); // [B, 1, C] -> [B, N, C]
        const fused = tf.concat([x, dropout(pooled, rate, ctx)], 2); // [B, N, E + C]
        return { output: gen4.apply(dropout(gen3.apply(fused, gelu), rate, ctx)) }; // [B, N, E]
      });
    },
  };
}
