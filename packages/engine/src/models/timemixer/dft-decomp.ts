/**
 * TimeMixer's `DFT_series_decomp` (decomp_method 'dft_decomp'), reproduced as NeuralForecast computes
 * it: `torch.fft.rfft` runs over the last axis of its [B, T, d_model] input — the model axis, not
 * time — `freq[0] = 0` clears the first window's spectrum (not the zero frequency), and every bin
 * whose magnitude is at most the smallest of all the per-row top-k magnitudes is dropped; the
 * seasonal part is the inverse transform of what is left and the trend the remainder. As the
 * cleared window's top-k magnitudes are zeros, the threshold is 0 for any batch: the first window
 * is all trend, the others keep every non-zero bin — NeuralForecast's behaviour, kept as it is.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { irfftMatrix, rfftBins, rfftMatrix } from '../../nn/dft.js';
import type { Decomposition } from './mixing.js';

/**
 * The keep mask [B, T, M] of a spectrum (real and imaginary parts [B, T, M] each); no gradient
 * flows through it, as through PyTorch's boolean indexing.
 */
const createKeepMask = (topK: number) =>
  tf.customGrad((re, im) => {
    const real = re as tf.Tensor3D;
    const [B, , M] = real.shape;
    const magnitude = tf.sqrt(tf.add(tf.square(real), tf.square(im as tf.Tensor)));
    // freq[0] = 0: the first window's magnitudes become zero, so they all fall under the threshold.
    const rows = Float32Array.from({ length: B }, (_, b) => (b === 0 ? 0 : 1));
    const cleared = tf.mul(magnitude, tf.tensor3d(rows, [B, 1, 1]));
    const threshold = tf.min(tf.topk(cleared, Math.min(topK, M)).values);
    return {
      value: tf.cast(tf.greater(cleared, threshold), 'float32'),
      gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy), tf.zerosLike(dy)],
    };
  });

/** Creates the decomposition over a model axis of `dModel` (even, as irfft's default length needs). */
export function createDftDecomposition(dModel: number, topK: number): Decomposition {
  if (dModel % 2 !== 0) {
    throw new ConfigError(
      `TimeMixer: decomp_method 'dft_decomp' needs an even d_model (irfft returns 2·(d_model//2) values), got ${dModel}`,
    );
  }
  const bins = rfftBins(dModel);
  if (!Number.isInteger(topK) || topK < 1 || topK > bins) {
    throw new ConfigError(`TimeMixer: top_k must be between 1 and d_model/2 + 1 = ${bins}, got ${topK}`);
  }
  const forward = rfftMatrix(dModel); // [d, 2M]
  const inverse = irfftMatrix(dModel); // [2M, d]
  const keepMask = createKeepMask(topK);
  return {
    apply(x) {
      return tf.tidy(() => {
        const [B, T, d] = x.shape;
        const spectrum = tf.matMul(tf.reshape(x, [B * T, d]), tf.tensor2d(forward, [d, 2 * bins])); // [B*T, 2M]
        const re = tf.reshape(tf.slice(spectrum, [0, 0], [-1, bins]), [B, T, bins]);
        const im = tf.reshape(tf.slice(spectrum, [0, bins], [-1, bins]), [B, T, bins]);
        const keep = keepMask(re, im) as tf.Tensor3D; // [B, T, M]
        const kept = tf.concat([tf.mul(re, keep), tf.mul(im, keep)], 2); // [B, T, 2M]
        const seasonal = tf.reshape(
          tf.matMul(tf.reshape(kept, [B * T, 2 * bins]), tf.tensor2d(inverse, [2 * bins, d])),
          [B, T, d],
        ) as tf.Tensor3D; // [B*T, 2M] -> [B, T, d]
        return { seasonal, trend: tf.sub(x, seasonal) as tf.Tensor3D };
      });
    },
  };
}
