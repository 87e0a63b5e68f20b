/**
 * StemGNN's two Fourier transforms as fixed matrices (nn/dft.ts), so both are matmuls whose
 * gradient is the matmul's own:
 * - the graph Fourier side: NeuralForecast multiplies every window by each of the K = 4 Chebyshev
 *   matrices of the learnt graph and applies `torch.fft.fft` over that order axis (not over time);
 *   both steps are linear, so they fold into one operator, the DFT of the Chebyshev stack;
 * - the way back: `torch.fft.irfft(n=K)` over the same axis reads the real parts of bins 0..K/2 and
 *   the imaginary parts of bins 1..K/2−1 only, so only those are computed; the sum of each order's
 *   product with the block's weight folds the inverse into that weight.
 * A spectrum over the K orders is 2K numbers: the K real parts, then the K imaginary parts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { irfftMatrix, rfftBins, rfftMatrix } from '../../nn/dft.js';

/** Chebyshev orders of StemGNN's graph convolution (NeuralForecast's fixed `3 + 1`). */
export const CHEB_ORDERS = 4;

/**
 * The full DFT of a real length-K signal, [K, 2K]: x[1, K]·D = [Re X(0..K−1) | Im X(0..K−1)] of
 * `torch.fft.fft(x)` (every bin, the mirrored ones included, as `fft` returns them).
 */
export function fullDftMatrix(K: number): Float32Array {
  return rfftMatrix(
    K,
    Array.from({ length: K }, (_, f) => f),
  );
}

/**
 * The bins `torch.fft.irfft(X, n=K)` reads: the real parts of bins 0..⌊K/2⌋ and the imaginary parts
 * of bins 1..⌈K/2⌉−1 (it drops the mirrored half and the imaginary parts of the zero and Nyquist
 * bins). Each is a contiguous run, so a layer's outputs for them are two slices of its columns.
 */
export function irfftReadBins(K: number): {
  readonly real: readonly number[];
  readonly imag: readonly number[];
} {
  const bins = rfftBins(K);
  return {
    real: Array.from({ length: bins }, (_, f) => f),
    imag: Array.from({ length: Math.ceil(K / 2) - 1 }, (_, i) => i + 1),
  };
}

/**
 * `torch.fft.irfft(X, n=K)` over the bins it reads ({@link irfftReadBins}), [R + I, K]: rows of the
 * read real parts, then of the read imaginary parts (nn/dft.ts's inverse basis without its zero rows).
 */
export function readIrfftMatrix(K: number): Float32Array {
  const { real, imag } = irfftReadBins(K);
  const bins = rfftBins(K);
  const half = irfftMatrix(K); // [2·bins, K]
  const rows = [...real, ...imag.map((f) => bins + f)];
  const inverse = new Float32Array(rows.length * K);
  rows.forEach((row, r) => inverse.set(half.subarray(row * K, (row + 1) * K), r * K));
  return inverse;
}

/**
 * The graph-spectral operator of one forward pass: for the Chebyshev stack T [K, N, N], the
 * [2K·N, N] matrix whose block s (of N rows) is Σ_k D[k, s]·T_k, so `op · x` gives, for every
 * node, the DFT over the orders of T_k·x: NeuralForecast's `fft(matmul(mul_L, x), dim=1)`.
 */
export function spectralOperator(cheb: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const [K, N] = cheb.shape;
    const dft = tf.tensor2d(fullDftMatrix(K), [K, 2 * K]);
    const folded = tf.matMul(dft, tf.reshape(cheb, [K, N * N]), true, false); // [2K, K]·[K, N·N] -> [2K, N·N]
    return tf.reshape(folded, [2 * K * N, N]) as tf.Tensor2D;
  });
}

/**
 * Applies the spectral operator to windows x [B, N, L]: the real and imaginary spectra over the
 * orders, each [B·N, K·L] with order-major columns (NeuralForecast's `real` and `img` after their
 * permute and reshape).
 */
export function graphSpectrum(op: tf.Tensor2D, x: tf.Tensor3D): { real: tf.Tensor2D; imag: tf.Tensor2D } {
  return tf.tidy(() => {
    const [B, N, L] = x.shape;
    const K = op.shape[0] / (2 * N);
    const flat = tf.reshape(tf.transpose(x, [1, 0, 2]), [N, B * L]); // [B, N, L] -> [N, B·L]
    const y = tf.reshape(tf.matMul(op, flat), [2, K, N, B, L]); // [2K·N, B·L] -> [part, k, n, b, t]
    const spectra = tf.reshape(tf.transpose(y, [0, 3, 2, 1, 4]), [2, B * N, K * L]); // -> [part, b·n, k·t]
    const [real, imag] = tf.unstack(spectra) as [tf.Tensor2D, tf.Tensor2D];
    return { real, imag };
  });
}

/**
 * The block weight W [K, C, C] with the inverse transform folded in, [(R + I)·C, C]: the read
 * spectrum [re of the read bins | im of the read bins] (bin-major, C channels each) times it is
 * Σ_t irfft(spectrum)[t]·W_t, NeuralForecast's `sum(matmul(irfft(...), weight), dim=1)`.
 */
export function foldInverse(weight: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const [K, C] = weight.shape;
    const rows = readIrfftMatrix(K).length / K;
    const inverse = tf.tensor2d(readIrfftMatrix(K), [rows, K]);
    const folded = tf.matMul(inverse, tf.reshape(weight, [K, C * C])); // [R+I, K]·[K, C·C] -> [R+I, C·C]
    return tf.reshape(folded, [rows * C, C]) as tf.Tensor2D;
  });
}
