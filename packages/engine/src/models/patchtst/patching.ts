/**
 * PatchTST's patching: the window is padded at its end with `stride` copies of its last value
 * (NeuralForecast's `padding_patch='end'`, a `ReplicationPad1d((0, stride))`) and cut into patches
 * of `patch_len` steps every `stride` steps (`Tensor.unfold`). Both are one gather: index i of the
 * padded window is step min(i, L − 1) of the window.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Sizes of the patching. */
export interface PatchingOptions {
  /** Window length L. */
  readonly inputSize: number;
  /** Steps per patch (already capped at L + stride, as NeuralForecast caps it). */
  readonly patchLen: number;
  readonly stride: number;
}

/**
 * Number of patches P: ⌊(L + stride − patch_len) / stride⌋ + 1 over the padded window, which is
 * NeuralForecast's `int((L − patch_len) / stride + 1) + 1` whenever patch_len ≤ L + stride.
 */
export function patchCount({ inputSize, patchLen, stride }: PatchingOptions): number {
  return Math.floor((inputSize + stride - patchLen) / stride) + 1;
}

/** For each patch p and offset j, the window step it reads: min(p·stride + j, L − 1), flattened [P·patch_len]. */
export function patchIndices(options: PatchingOptions): Int32Array {
  const { inputSize, patchLen, stride } = options;
  const P = patchCount(options);
  const indices = new Int32Array(P * patchLen);
  for (let p = 0; p < P; p += 1) {
    for (let j = 0; j < patchLen; j += 1) indices[p * patchLen + j] = Math.min(p * stride + j, inputSize - 1);
  }
  return indices;
}

/** Cuts windows [B, L] into patches [B, P, patch_len]. */
export function toPatches(x: tf.Tensor2D, options: PatchingOptions): tf.Tensor3D {
  const P = patchCount(options);
  return tf.tidy(() => {
    const indices = tf.tensor1d(patchIndices(options), 'int32');
    return tf.reshape(tf.gather(x, indices, 1), [x.shape[0], P, options.patchLen]); // [B, P·patch_len] -> [B, P, patch_len]
  });
}
