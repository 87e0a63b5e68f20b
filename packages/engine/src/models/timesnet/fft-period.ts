/**
 * TimesNet's period selection (NeuralForecast's `FFT_for_Period`): the amplitude spectrum of the
 * real FFT over time, averaged over the batch and the channels, picks the `k` strongest non-zero
 * frequencies f; each becomes a period T // f. The per-window amplitudes of those frequencies,
 * averaged over channels, are the period weights — differentiable in PyTorch (`abs(xf)` keeps its
 * graph), so here too.
 *
 * The spectrum is a direct DFT written as one matrix product with a fixed [T, 2F] cosine/sine
 * basis rather than `tf.spectral.rfft`: the wasm backend has no FFT kernel (nor complex tensors
 * at all), and tfjs-core registers no FFT gradient on any backend. For TimesNet's short windows
 * (T = input_size + h) the O(T²) product is negligible next to the 2-D convolutions and runs on
 * the same (native BLAS) matmul, with gradients from the matmul's own.
 */
import * as tf from '@tensorflow/tfjs-core';
import { rfftMatrix } from '../../nn/dft.js';

/** Below this power an amplitude counts as zero; keeps sqrt's gradient finite where PyTorch's |z| has 0. */
const TINY_POWER = 1e-30;

/**
 * The [T, 2F] real DFT basis, F = ⌊T/2⌋ + 1: column f is cos(2πft/T), column F + f is −sin(2πft/T),
 * so x·basis gives the real and imaginary parts of `torch.fft.rfft(x)` at frequency f
 * (nn/dft.ts's {@link rfftMatrix} over every bin).
 */
export function rfftBasis(T: number): Float32Array {
  return rfftMatrix(T);
}

/**
 * Per-window amplitude spectrum averaged over channels, `abs(rfft(x, dim=1)).mean(-1)`:
 * [B, T, N] -> [B, F]. `basis` is {@link rfftBasis}(T) as a tensor.
 */
export function channelMeanAmplitudes(x: tf.Tensor3D, basis: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, T, N] = x.shape;
    const F = basis.shape[1] / 2;
    const series = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * N, T]); // [B, T, N] -> [B, N, T] -> [B·N, T]
    const spectrum = tf.matMul(series, basis); // [B·N, 2F]: real | imaginary
    const re = tf.slice(spectrum, [0, 0], [B * N, F]);
    const im = tf.slice(spectrum, [0, F], [B * N, F]);
    const power = tf.add(tf.square(re), tf.square(im)); // [B·N, F]
    const amplitude = tf.sqrt(tf.maximum(power, TINY_POWER));
    return tf.mean(tf.reshape(amplitude, [B, N, F]), 1) as tf.Tensor2D; // [B, N, F] -> [B, F]
  });
}

/**
 * The `k` frequencies with the largest mean amplitude, frequency 0 excluded (NeuralForecast zeroes
 * it before `topk`), strongest first; ties go to the lower frequency. `meanAmplitude[f]` is the
 * amplitude of frequency f averaged over windows and channels.
 */
export function topFrequencies(meanAmplitude: ArrayLike<number>, k: number): number[] {
  const candidates = Array.from({ length: meanAmplitude.length - 1 }, (_, i) => i + 1);
  candidates.sort((a, b) => (meanAmplitude[b] as number) - (meanAmplitude[a] as number) || a - b);
  return candidates.slice(0, k);
}

/** What {@link selectPeriods} found for one batch. */
export interface PeriodSelection {
  /** T // f for each chosen frequency f, strongest first. */
  readonly periods: number[];
  /** The chosen frequencies, in the same order. */
  readonly frequencies: number[];
  /** [B, k] each window's channel-mean amplitude at the chosen frequencies (the weights before softmax). */
  readonly weights: tf.Tensor2D;
}

/**
 * NeuralForecast's `FFT_for_Period(x, k)` on x [B, T, N]. The choice of frequencies reads the
 * batch-mean spectrum back to the CPU (as PyTorch's `.cpu().numpy()` does): the periods set the
 * shapes of the 2-D grids, so they must be numbers, and they carry no gradient; the weights do.
 */
export function selectPeriods(x: tf.Tensor3D, k: number, basis: tf.Tensor2D): PeriodSelection {
  const T = x.shape[1];
  let frequencies: number[] = [];
  const weights = tf.tidy(() => {
    const amplitudes = channelMeanAmplitudes(x, basis); // [B, F]
    frequencies = topFrequencies(tf.mean(amplitudes, 0).dataSync(), k);
    // Column slices, not tf.gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
    const B = amplitudes.shape[0];
    const columns = frequencies.map((f) => tf.slice(amplitudes, [0, f], [B, 1])); // k × [B, 1]
    return (columns.length === 1 ? columns[0] : tf.concat(columns, 1)) as tf.Tensor2D; // [B, k]
  });
  return { periods: frequencies.map((f) => Math.floor(T / f)), frequencies, weights };
}
