/**
 * RMoK's wavelet KAN expert (NeuralForecast's `WaveKANLayer`): every (input, output) edge applies a
 * mother wavelet to its input, shifted and dilated by learnable per-edge translation and scale and
 * weighted by a learnable per-edge weight; the sums go through a batch norm.
 * @see Bozorgasl & Chen (2024), "Wav-KAN: Wavelet Kolmogorov-Arnold Networks". https://arxiv.org/abs/2405.12832
 */
import * as tf from '@tensorflow/tfjs-core';
import { createBatchNorm } from '../../nn/batch-norm.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import type { ParamStore } from '../../nn/params.js';

/** The mother wavelets NeuralForecast's WaveKANLayer offers (`wavelet_function`). */
export const WAVELETS = ['mexican_hat', 'morlet', 'dog', 'meyer', 'shannon'] as const;

/** One of {@link WAVELETS}. */
export type Wavelet = (typeof WAVELETS)[number];

/** Mexican hat normalisation 2/(√3·π^¼). */
const MEXICAN_HAT = 2 / (Math.sqrt(3) * Math.PI ** 0.25);
/** Morlet's central frequency ω₀. */
const MORLET_OMEGA = 5;

/** `torch.hamming_window(n, periodic=False)`: 0.54 − 0.46·cos(2πk/(n−1)); [1] when n = 1. */
export function hammingWindow(n: number): Float32Array {
  if (n === 1) return Float32Array.of(1);
  return Float32Array.from({ length: n }, (_, k) => 0.54 - 0.46 * Math.cos((2 * Math.PI * k) / (n - 1)));
}

/** Meyer's auxiliary ν(t) = t⁴(35 − 84t + 70t² − 20t³). */
const meyerNu = (t: tf.Tensor): tf.Tensor =>
  tf.mul(
    tf.pow(t, 4),
    tf.add(35, tf.mul(t, tf.add(-84, tf.mul(t, tf.add(70, tf.mul(t, -20)))))), // Horner: 35 − 84t + 70t² − 20t³
  );

/**
 * A 0/1 mask of where `test` holds, with no gradient: made inside a custom-gradient op, as
 * tfjs-core has no gradient for comparisons and would refuse one on the path of a loss.
 */
const indicator = (test: (x: tf.Tensor) => tf.Tensor) =>
  tf.customGrad((x) => ({
    value: tf.cast(test(x as tf.Tensor), 'float32'),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  })) as (x: tf.Tensor) => tf.Tensor;

const isZero = indicator((x) => tf.equal(x, 0));
const atMostHalf = indicator((x) => tf.lessEqual(x, 0.5));
const atLeastOne = indicator((x) => tf.greaterEqual(x, 1));

/** sin(u)/u with the value 1 (and gradient 0) at u = 0, PyTorch's `sinc(u/π)`; never 0/0. */
const sincOfRadians = (u: tf.Tensor): tf.Tensor => {
  const zero = isZero(u);
  const safe = tf.add(u, zero); // 1 where u = 0
  return tf.add(zero, tf.mul(tf.sub(1, zero), tf.div(tf.sin(safe), safe)));
};

/**
 * The wavelet ψ at u (any shape, the input axis last: Shannon's Hamming window runs along it).
 * Exported for the hand-checked tests.
 */
export function motherWavelet(u: tf.Tensor, kind: Wavelet): tf.Tensor {
  return tf.tidy(() => {
    const gauss = (): tf.Tensor => tf.exp(tf.mul(tf.square(u), -0.5));
    switch (kind) {
      case 'mexican_hat':
        return tf.mul(tf.mul(tf.sub(tf.square(u), 1), gauss()), MEXICAN_HAT);
      case 'morlet':
        return tf.mul(gauss(), tf.cos(tf.mul(u, MORLET_OMEGA)));
      case 'dog':
        return tf.mul(tf.neg(u), gauss());
      case 'meyer': {
        const v = tf.abs(u);
        const ramp = tf.cos(tf.mul(meyerNu(tf.sub(tf.mul(v, 2), 1)), Math.PI / 2));
        const inner = atMostHalf(v);
        // 1 up to ½, the ramp between ½ and 1, 0 from 1 on.
        const aux = tf.add(inner, tf.mul(tf.mul(tf.sub(1, inner), tf.sub(1, atLeastOne(v))), ramp));
        return tf.mul(tf.sin(tf.mul(v, Math.PI)), aux);
      }
      case 'shannon': {
        const n = u.shape[u.rank - 1] as number;
        return tf.mul(sincOfRadians(u), tf.tensor1d(hammingWindow(n)));
      }
    }
  });
}

/** Options of {@link createWaveKan}. */
export interface WaveKanOptions {
  /** Variable path (`wavelet`). */
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly wavelet: Wavelet;
}

/**
 * `WaveKANLayer(in, out, wavelet_type, with_bn=True)`: y_o = BN(Σ_i w[o,i]·ψ((x_i − t[o,i]) / s[o,i])).
 * Scale starts at 1, translation at 0, the wavelet weights at kaiming_uniform(a=√5) (U(±1/√in));
 * the batch norm is PyTorch's BatchNorm1d(out) defaults. NeuralForecast also creates `weight1`
 * (kaiming_uniform too; its own comment: "not used") and counts it in its parameters: built here
 * with the same shape so the count and the variable layout match, and never read.
 */
export function createWaveKan(store: ParamStore, options: WaveKanOptions) {
  const { path, inFeatures: I, outFeatures: O, wavelet } = options;
  const bound = 1 / Math.sqrt(I);
  const scale = store.constant(`${path}/scale/weight`, [O, I], 1);
  const translation = store.constant(`${path}/translation/weight`, [O, I], 0);
  // NeuralForecast's declaration order (it fills wavelet_weights first; the draws differ from torch's anyway).
  const unused = store.uniform(`${path}/weight1/weight`, [O, I], { low: -bound, high: bound });
  const weights = store.uniform(`${path}/wavelet_weights/weight`, [O, I], { low: -bound, high: bound });
  const norm = createBatchNorm(store, `${path}/bn`, O);
  return {
    /** The never-read `weight1`, for tests that list dead variables. */
    unused,
    apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
      return tf.tidy(() => {
        const u = tf.div(tf.sub(tf.expandDims(x, 1), translation), scale); // [M, 1, in] - [out, in] -> [M, out, in]
        const psi = motherWavelet(u, wavelet);
        const summed = tf.sum(tf.mul(psi, weights), 2) as tf.Tensor2D; // [M, out, in] -> [M, out]
        return norm.apply(summed, ctx);
      });
    },
  };
}
