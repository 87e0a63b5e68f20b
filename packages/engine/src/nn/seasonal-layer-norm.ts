/**
 * Autoformer's and FEDformer's `LayerNorm` ("my_Layernorm"): a layer norm over the channels whose
 * result then has its mean over time removed, so the seasonal part it normalises stays centred.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createLayerNorm, type LayerNorm } from './layer-norm.js';
import type { ParamStore } from './params.js';

/** Creates the norm over a last axis of `dim` (its affine weights at `<path>/layernorm`). */
export function createSeasonalLayerNorm(store: ParamStore, path: string, dim: number): LayerNorm {
  const norm = createLayerNorm(store, `${path}/layernorm`, dim);
  return {
    apply<T extends tf.Tensor>(x: T): T {
      return tf.tidy(() => {
        const normed = norm.apply(x); // [B, L, D]
        return tf.sub(normed, tf.mean(normed, 1, true)) as T; // minus its mean over L
      });
    },
  };
}
