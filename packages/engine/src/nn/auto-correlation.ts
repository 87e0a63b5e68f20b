/**
 * Autoformer's AutoCorrelation (NeuralForecast's `AutoCorrelation`) as an {@link InnerAttention}:
 * period-based dependencies from the auto-correlation of queries and keys, then time-delay
 * aggregation of the values rolled by the strongest delays.
 *
 * 1. corr = irfft(rfft(q)·conj(rfft(k))) per head and channel, averaged over heads and channels.
 *    irfft is linear, so the average is taken on the spectra and one irfft gives the [B, L]
 *    mean correlation; the DFTs are matmuls with fixed bases (dft.ts).
 * 2. k = ⌊factor·ln L⌋ delays. Training (NeuralForecast's `time_delay_agg_training`): the delays
 *    with the largest batch-mean correlation, shared by every window, their per-window
 *    correlations softmaxed into weights. Inference (`time_delay_agg_inference`): each window's own
 *    top-k delays and weights.
 * 3. out[t] = Σ_i w_i · v[(t + τ_i) mod L]. The weights are first spread over all L delays (a
 *    [B, L] vector, zero off the chosen ones), then turned into a circulant [B, L, L] matrix that
 *    one batched matmul applies to the values: no per-delay roll or gather, whose gradient (gather's
 *    UnsortedSegmentSum) the wasm backend lacks.
 *
 * NeuralForecast's `mask_flag` and `attention_dropout` are accepted there but never applied; so too here.
 * @see Wu et al. (2021), "Autoformer: Decomposition Transformers with Auto-Correlation for Long-Term Series Forecasting", NeurIPS. https://arxiv.org/abs/2106.13008
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InnerAttention } from './attention.js';
import { irfftMatrix, rfftBins, rfftMatrix } from './dft.js';

/** ⌊factor·ln L⌋ as NeuralForecast's `int(self.factor * math.log(length))`, at most L. */
export function delayCount(factor: number, L: number): number {
  return Math.max(0, Math.min(L, Math.floor(factor * Math.log(L))));
}

/** Indices of the `k` largest values, largest first; ties go to the smaller index. */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  return order.slice(0, k);
}

/**
 * Row-major [L, L·L] 0/1 matrix C with C[τ, t·L + s] = 1 iff s = (t + τ) mod L: a delay-weight
 * vector a [L] times C is the circulant whose row t reads a[τ] at column t + τ.
 */
export function circulantBasis(L: number): Float32Array {
  const basis = new Float32Array(L * L * L);
  for (let tau = 0; tau < L; tau += 1) {
    for (let t = 0; t < L; t += 1) basis[tau * L * L + t * L + ((t + tau) % L)] = 1;
  }
  return basis;
}

/** Fixed matrices of one sequence length, built once. */
interface Bases {
  readonly forward: Float32Array; // [L, 2F]
  readonly inverse: Float32Array; // [2F, L]
  readonly circulant: Float32Array; // [L, L·L]
}

/**
 * Mean auto-correlation over heads and channels, [B, L] (NeuralForecast's
 * `mean(mean(corr, 1), 1)`), from queries and keys [B, L, C] (heads folded into C).
 */
export function meanCorrelation(
  queries: tf.Tensor3D,
  keys: tf.Tensor3D,
  forward: tf.Tensor2D,
  inverse: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, L, C] = queries.shape;
    const F = rfftBins(L);
    // [L, 2F]ᵀ broadcast over [B, L, C] -> [B, 2F, C]: real parts, then imaginary parts.
    const spectrum = (x: tf.Tensor3D): [tf.Tensor3D, tf.Tensor3D] => {
      const s = tf.matMul(forward, x, true, false) as tf.Tensor3D;
      return [tf.slice(s, [0, 0, 0], [B, F, C]), tf.slice(s, [0, F, 0], [B, F, C])];
    };
    const [qr, qi] = spectrum(queries);
    const [kr, ki] = spectrum(keys);
    // q·conj(k) = (qr·kr + qi·ki) + i(qi·kr − qr·ki), averaged over channels: [B, F] each.
    const re = tf.mean(tf.add(tf.mul(qr, kr), tf.mul(qi, ki)), 2);
    const im = tf.mean(tf.sub(tf.mul(qi, kr), tf.mul(qr, ki)), 2);
    return tf.matMul(tf.concat([re, im], 1), inverse) as tf.Tensor2D; // [B, 2F] x [2F, L] -> [B, L]
  });
}

/**
 * The [B, L] delay weights: softmax over the k chosen delays of each window, zero elsewhere.
 * Training picks delays from the batch mean, inference each window's own; both keep the gradient
 * through the correlations at the chosen delays.
 */
export function delayWeights(corr: tf.Tensor2D, k: number, training: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, L] = corr.shape;
    if (k === 0) return tf.zeros([B, L]) as tf.Tensor2D; // torch.topk(…, 0): no delay, zero output
    // The choice is data-dependent control flow, read back as PyTorch's `index`/`delay` from topk;
    // the weights stay differentiable (torch.topk's values are) through one-hot products.
    const values = corr.dataSync();
    if (training) {
      const mean = new Float32Array(L);
      for (let i = 0; i < values.length; i += 1)
        mean[i % L] = (mean[i % L] as number) + (values[i] as number) / B;
      const pick = oneHotColumns([topIndices(mean, k)], L, k); // [L, k]: corr·pick gathers the k delays
      const pickTensor = tf.tensor2d(pick, [L, k]);
      const weights = tf.softmax(tf.matMul(corr, pickTensor)); // [B, k]
      return tf.matMul(weights, pickTensor, false, true) as tf.Tensor2D; // [B, k] x [k, L] -> [B, L]
    }
    const perWindow = Array.from({ length: B }, (_, b) => topIndices(values.subarray(b * L, (b + 1) * L), k));
    const pick = tf.tensor3d(oneHotColumns(perWindow, L, k), [B, L, k]);
    const weights = tf.softmax(tf.matMul(tf.reshape(corr, [B, 1, L]), pick)); // [B, 1, k]
    return tf.reshape(tf.matMul(weights, pick, false, true), [B, L]) as tf.Tensor2D; // [B, 1, L] -> [B, L]
  });
}

/** [n, L, k] row-major 0/1: entry (j, τ, i) is 1 iff delays[j][i] = τ. */
function oneHotColumns(delays: readonly number[][], L: number, k: number): Float32Array {
  const out = new Float32Array(delays.length * L * k);
  delays.forEach((row, j) => row.forEach((tau, i) => (out[j * L * k + tau * k + i] = 1)));
  return out;
}

/**
 * Time-delay aggregation: out[b, t, :] = Σ_τ weights[b, τ]·values[b, (t + τ) mod L, :], i.e.
 * NeuralForecast's sum of values rolled by −τ; [B, L] weights, [B, L, C] values -> [B, L, C].
 */
export function aggregateDelays(
  weights: tf.Tensor2D,
  values: tf.Tensor3D,
  circulant: tf.Tensor2D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, L] = weights.shape;
    const mixing = tf.reshape(tf.matMul(weights, circulant), [B, L, L]); // [B, L] x [L, L²] -> [B, L, L]
    return tf.matMul(mixing, values) as tf.Tensor3D; // [B, L, L] x [B, L, C] -> [B, L, C]
  });
}

/** Fits keys/values [B, S, H, E] to L steps: zeros appended when S < L, the first L kept when S > L. */
function fitLength(x: tf.Tensor4D, L: number): tf.Tensor4D {
  const [B, S, H, E] = x.shape;
  if (S === L) return x;
  if (S > L) return tf.slice(x, [0, 0, 0, 0], [B, L, H, E]);
  return tf.concat([x, tf.zeros([B, L - S, H, E])], 1);
}

/** Options of {@link autoCorrelation}. */
export interface AutoCorrelationOptions {
  /** NeuralForecast's `factor`: k = ⌊factor·ln L⌋ delays. */
  readonly factor: number;
}

/** NeuralForecast's `AutoCorrelation` as an inner attention for `createAttentionLayer`. */
export function autoCorrelation(options: AutoCorrelationOptions): InnerAttention {
  const cache = new Map<number, Bases>();
  const bases = (L: number): Bases => {
    let found = cache.get(L);
    if (!found) {
      found = { forward: rfftMatrix(L), inverse: irfftMatrix(L), circulant: circulantBasis(L) };
      cache.set(L, found);
    }
    return found;
  };
  return (queries, keys, values, ctx) => {
    const [B, L, H, E] = queries.shape;
    const D = values.shape[3];
    const { forward, inverse, circulant } = bases(L);
    const F = rfftBins(L);
    const mixed = tf.tidy(() => {
      const q = tf.reshape(queries, [B, L, H * E]) as tf.Tensor3D;
      const k = tf.reshape(fitLength(keys, L), [B, L, H * E]) as tf.Tensor3D;
      const v = tf.reshape(fitLength(values, L), [B, L, H * D]) as tf.Tensor3D;
      const corr = meanCorrelation(q, k, tf.tensor2d(forward, [L, 2 * F]), tf.tensor2d(inverse, [2 * F, L]));
      const weights = delayWeights(corr, delayCount(options.factor, L), ctx.training);
      const out = aggregateDelays(weights, v, tf.tensor2d(circulant, [L, L * L])); // [B, L, H·D]
      return tf.reshape(out, [B, L, H, D]) as tf.Tensor4D;
    });
    return { values: mixed };
  };
}
