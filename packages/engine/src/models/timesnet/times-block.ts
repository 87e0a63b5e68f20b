/**
 * NeuralForecast's `TimesBlock`: for each of the top-k periods p of the batch, the sequence
 * [B, T, d] is zero-padded to a multiple of p, folded into a 2-D grid [B, T'/p, p, d] (rows are
 * cycles, columns phases), passed through inception → GELU → inception, unfolded and cut back
 * to T; the k results are mixed with the softmax of the period amplitudes, plus a residual.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../../nn/activations.js';
import type { ParamStore } from '../../nn/params.js';
import { selectPeriods } from './fft-period.js';
import { conv2dSame, createInceptionBlock, type InceptionBlock, type MergedConv } from './inception.js';

/** Options of {@link createTimesBlock}. */
export interface TimesBlockOptions {
  /** Variable path prefix (`model_0`). */
  readonly path: string;
  readonly hiddenSize: number;
  readonly convHiddenSize: number;
  readonly numKernels: number;
  /** Number of periods, `top_k`. */
  readonly topK: number;
}

/** A TimesBlock over [B, T, d]. */
export interface TimesBlock {
  readonly inceptions: readonly [InceptionBlock, InceptionBlock];
  /** `basis` is the rfft basis of length T (see fft-period). */
  apply(x: tf.Tensor3D, basis: tf.Tensor2D): tf.Tensor3D;
}

/** Inception → GELU → inception on one period's grid, [B, T, d] -> [B, T, d]. */
function periodConv(x: tf.Tensor3D, period: number, convs: readonly [MergedConv, MergedConv]): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, d] = x.shape;
    const length = Math.ceil(T / period) * period;
    const padded =
      length === T
        ? x
        : tf.pad(x, [
            [0, 0],
            [0, length - T],
            [0, 0],
          ]); // [B, length, d]
    const grid = tf.reshape(padded, [B, length / period, period, d]) as tf.Tensor4D; // [B, cycles, period, d]
    const hidden = gelu(conv2dSame(grid, convs[0])); // [B, cycles, period, conv_hidden]
    const out = tf.reshape(conv2dSame(hidden, convs[1]), [B, length, d]) as tf.Tensor3D; // -> [B, length, d]
    return length === T ? out : tf.slice(out, [0, 0, 0], [B, T, d]); // [B, T, d]
  });
}

/** Creates a TimesBlock with its two inception blocks (d → conv_hidden → d). */
export function createTimesBlock(store: ParamStore, options: TimesBlockOptions): TimesBlock {
  const { path, hiddenSize: d, convHiddenSize: c, numKernels } = options;
  const inceptions = [
    createInceptionBlock(store, { path: `${path}/inception_0`, inChannels: d, outChannels: c, numKernels }),
    createInceptionBlock(store, { path: `${path}/inception_1`, inChannels: c, outChannels: d, numKernels }),
  ] as const;
  return {
    inceptions,
    apply(x, basis) {
      return tf.tidy(() => {
        const { periods, weights } = selectPeriods(x, options.topK, basis); // weights [B, k]
        const mix = tf.softmax(weights, 1); // [B, k]
        const convs = [inceptions[0].merge(), inceptions[1].merge()] as const;
        // Frequencies with equal T // f give identical grids and outputs: compute each period once
        // and give it the sum of its softmax weights (the same sum NeuralForecast forms term by term).
        const byPeriod = new Map<number, number[]>();
        periods.forEach((p, i) => byPeriod.set(p, [...(byPeriod.get(p) ?? []), i]));
        const B = x.shape[0];
        const terms = [...byPeriod].map(([period, columns]) => {
          const w = tf.addN(columns.map((i) => tf.slice(mix, [0, i], [B, 1]))); // [B, 1]
          return tf.mul(periodConv(x, period, convs), tf.reshape(w, [B, 1, 1])); // [B, T, d]
        });
        return tf.add(tf.addN(terms), x) as tf.Tensor3D; // residual
      });
    },
  };
}
