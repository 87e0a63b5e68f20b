/**
 * FEDformer's frequency-enhanced blocks as inner attentions (NeuralForecast's `FourierBlock` and
 * `FourierCrossAttention`). Both read a few rfft modes of the projected queries (and keys), mix
 * each head's channels per mode with a learned complex [E, E] matrix and return to time with an
 * irfft. The DFTs are matmuls with bases restricted to the chosen modes (nn/dft.ts); every mode of
 * every head is one entry of a single batched product.
 *
 * Two NeuralForecast details are kept as they are because trained models depend on them:
 * - FourierBlock writes the i-th chosen mode's output to bin i (not to the mode's own bin);
 * - both return [B, H, E, L] which the attention layer reads as [B, L, H·E] by a plain view, a
 *   reshuffle of time and channels that the next layers learn around. The reshape of the
 *   [B, H, E, L] product to [B, L, H, E] below is that view.
 * @see Zhou et al. (2022), "FEDformer: Frequency Enhanced Decomposed Transformer for Long-term Series Forecasting", ICML. https://arxiv.org/abs/2201.12740
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InnerAttention } from '../../nn/attention.js';
import { irfftMatrix, rfftMatrix } from '../../nn/dft.js';
import type { ParamStore } from '../../nn/params.js';
import { complexTanhRows, createComplexWeight, realBlockMatrix, type ComplexWeight } from './complex.js';

/** Heads FEDformer's weights are laid out for (NeuralForecast requires n_head = 8). */
export const FOURIER_HEADS = 8;

/** Options of the two Fourier blocks. */
export interface FourierBlockOptions {
  /** Variable path (`encoder/fourier_block`). */
  readonly path: string;
  /** hidden_size: E = hidden_size / 8 channels per head. */
  readonly hiddenSize: number;
}

/** Per sequence length, the fixed bases of the forward and inverse transforms. */
function basesCache(build: (L: number) => { forward: Float32Array; inverse: Float32Array }) {
  const cache = new Map<number, { forward: Float32Array; inverse: Float32Array }>();
  return (L: number) => {
    let found = cache.get(L);
    if (!found) {
      found = build(L);
      cache.set(L, found);
    }
    return found;
  };
}

/** The chosen modes of x [B, L, C] as [B, 2 (Re, Im), M, H, E]; `forward` is rfftMatrix(L, modes). */
function spectrumOf(x: tf.Tensor3D, forward: tf.Tensor2D, H: number): tf.Tensor5D {
  const [B, , C] = x.shape;
  const spectrum = tf.matMul(forward, x, true, false); // [L, 2M]ᵀ x [B, L, C] -> [B, 2M, C]
  return tf.reshape(spectrum, [B, 2, forward.shape[1] / 2, H, C / H]);
}

/**
 * The chosen modes of x [B, L, C] arranged per (head, mode): [B, L, C] -> [H·M, B, 2E], each row
 * [Re | Im] of one window's head channels at one mode.
 */
function modesPerHead(x: tf.Tensor3D, forward: tf.Tensor2D, H: number): tf.Tensor3D {
  const spectrum = spectrumOf(x, forward, H);
  const [B, , M, , E] = spectrum.shape;
  return tf.reshape(tf.transpose(spectrum, [3, 2, 0, 1, 4]), [H * M, B, 2 * E]) as tf.Tensor3D;
}

/**
 * The chosen modes of x [B, L, C] per window and head: [B, L, C] -> [B·H, M, 2E], each row
 * [Re | Im] of one mode's head channels.
 */
function modesPerWindow(x: tf.Tensor3D, forward: tf.Tensor2D, H: number): tf.Tensor3D {
  const spectrum = spectrumOf(x, forward, H);
  const [B, , M, , E] = spectrum.shape;
  return tf.reshape(tf.transpose(spectrum, [0, 3, 2, 1, 4]), [B * H, M, 2 * E]) as tf.Tensor3D;
}

/** [2E]: `re` E times, then `im` E times — a sign per half of [Re | Im] rows. */
function halfSigns(re: number, im: number, E: number): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: 2 * E }, (_, i) => (i < E ? re : im)));
}

/**
 * Back to time from per-(head, mode) spectra [H·M, B, 2E]: [B, H, E, L] in memory (the irfft over
 * `inverse`, an [2M, L] irfftMatrix), returned as NeuralForecast's view [B, L, H, E] of it.
 */
function toTime(spectra: tf.Tensor3D, inverse: tf.Tensor2D, H: number): tf.Tensor4D {
  const [HM, B, twoE] = spectra.shape;
  const M = HM / H;
  const E = twoE / 2;
  const L = inverse.shape[1];
  const perChannel = tf.transpose(tf.reshape(spectra, [H, M, B, 2, E]), [2, 0, 4, 3, 1]); // [B, H, E, 2, M]
  const series = tf.matMul(tf.reshape(perChannel, [B * H * E, 2 * M]), inverse); // [B·H·E, L]
  return tf.reshape(series, [B, L, H, E]) as tf.Tensor4D;
}

/** The real block form of a complex [H, M, E, E] weight as [H·M, 2E, 2E]. */
function perModeMatrices(weight: ComplexWeight): tf.Tensor3D {
  const [H, M, E] = weight.real.shape as [number, number, number, number];
  return tf.reshape(realBlockMatrix(weight), [H * M, 2 * E, 2 * E]) as tf.Tensor3D;
}

/** A Fourier inner attention with its weight, for parameter checks and tests. */
export interface FourierAttention {
  readonly attention: InnerAttention;
  /** Complex [8, M, E, E]: NeuralForecast's `weights1` [8, E, E, M] with the mode axis second. */
  readonly weight: ComplexWeight;
  /** The modes read, increasing. */
  readonly modes: readonly number[];
}

/**
 * NeuralForecast's `FourierBlock` over the bins `modes` (see frequency-modes.ts): self-attention
 * from the queries alone (keys and values are ignored, as there).
 */
export function createFourierBlock(
  store: ParamStore,
  options: FourierBlockOptions & { readonly modes: readonly number[] },
): FourierAttention {
  const { hiddenSize: d, modes } = options;
  const H = FOURIER_HEADS;
  const E = Math.floor(d / H);
  const M = modes.length;
  const weight = createComplexWeight(store, `${options.path}/weights1`, [H, M, E, E], 1 / (d * d));
  // Output bin i holds the i-th chosen mode (NeuralForecast's out_ft[..., wi]).
  const bases = basesCache((L) => ({
    forward: rfftMatrix(L, modes),
    inverse: irfftMatrix(
      L,
      Array.from({ length: M }, (_, i) => i),
    ),
  }));
  const mix = (queries: tf.Tensor4D): { values: tf.Tensor4D } => {
    const [B, L] = queries.shape;
    const { forward, inverse } = bases(L);
    const values = tf.tidy(() => {
      const x = modesPerHead(tf.reshape(queries, [B, L, H * E]), tf.tensor2d(forward, [L, 2 * M]), H);
      const mixed = tf.matMul(x, perModeMatrices(weight)) as tf.Tensor3D; // [H·M, B, 2E] x [H·M, 2E, 2E]
      return toTime(mixed, tf.tensor2d(inverse, [2 * M, L]), H);
    });
    return { values };
  };
  // Keys and values are ignored, as in NeuralForecast.
  const attention: InnerAttention = Object.assign(mix, { unread: ['keys', 'values'] as const });
  return { attention, weight, modes };
}

/**
 * NeuralForecast's `FourierCrossAttention` (tanh activation): per head, the complex product of the
 * query and key modes, tanh, times the key modes again, mixed per query mode by the weight, placed
 * at the query modes' own bins and divided by hidden_size² before the irfft. Values are ignored.
 */
export function createFourierCrossAttention(
  store: ParamStore,
  options: FourierBlockOptions & {
    readonly queryModes: readonly number[];
    readonly keyModes: readonly number[];
  },
): FourierAttention {
  const { hiddenSize: d, queryModes, keyModes } = options;
  const H = FOURIER_HEADS;
  const E = Math.floor(d / H);
  const Mq = queryModes.length;
  const Mk = keyModes.length;
  const weight = createComplexWeight(store, `${options.path}/weights1`, [H, Mq, E, E], 1 / (d * d));
  const queryBases = basesCache((L) => ({
    forward: rfftMatrix(L, queryModes),
    inverse: irfftMatrix(L, queryModes, 1 / (d * d)),
  }));
  const keyBases = basesCache((L) => ({ forward: rfftMatrix(L, keyModes), inverse: new Float32Array(0) }));
  const mix = (queries: tf.Tensor4D, keys: tf.Tensor4D): { values: tf.Tensor4D } => {
    const [B, Lq] = queries.shape;
    const Lk = keys.shape[1];
    const queryBasis = queryBases(Lq);
    const keyBasis = keyBases(Lk);
    const values = tf.tidy(() => {
      // Per window and head, the rows [Re | Im] of each mode: [B·H, M, 2E].
      const q = modesPerWindow(
        tf.reshape(queries, [B, Lq, H * E]),
        tf.tensor2d(queryBasis.forward, [Lq, 2 * Mq]),
        H,
      );
      const k = modesPerWindow(
        tf.reshape(keys, [B, Lk, H * E]),
        tf.tensor2d(keyBasis.forward, [Lk, 2 * Mk]),
        H,
      );
      // K as real blocks: rows [Re k | −Im k] and [Im k | Re k] (conj k and i·conj k), against which
      // a row [Re q | Im q] gives Re(q·k) and Im(q·k); rows [Re k | Im k] and [−Im k | Re k] (k and
      // i·k), which a row [Re t | Im t] times gives [Re(t·k) | Im(t·k)].
      const swapped = tf.reshape(tf.reverse(tf.reshape(k, [B * H, Mk, 2, E]), 2), [B * H, Mk, 2 * E]);
      const transposeBlock = tf.concat([tf.mul(k, halfSigns(1, -1, E)), swapped], 1); // [B·H, 2Mk, 2E]
      const keyBlock = tf.concat([k, tf.mul(swapped, halfSigns(-1, 1, E))], 1); // [B·H, 2Mk, 2E]
      // scores = Q·Kᵀ over channels, complex without conjugation: [B·H, Mq, 2Mk] = [Re | Im].
      const scores = tf.matMul(q, transposeBlock, false, true);
      // tanh(scores)·K: [B·H, Mq, 2Mk] x [B·H, 2Mk, 2E] -> [B·H, Mq, 2E] = [Re | Im].
      const attended = tf.matMul(complexTanhRows(scores), keyBlock);
      const perMode = tf.reshape(tf.transpose(tf.reshape(attended, [B, H, Mq, 2 * E]), [1, 2, 0, 3]), [
        H * Mq,
        B,
        2 * E,
      ]) as tf.Tensor3D;
      const mixed = tf.matMul(perMode, perModeMatrices(weight)) as tf.Tensor3D; // [H·Mq, B, 2E]
      return toTime(mixed, tf.tensor2d(queryBasis.inverse, [2 * Mq, Lq]), H);
    });
    return { values };
  };
  // Values are ignored, as in NeuralForecast.
  const attention: InnerAttention = Object.assign(mix, { unread: ['values'] as const });
  return { attention, weight, modes: queryModes };
}
