/** Layer normalisation over the last axis, as PyTorch's `nn.LayerNorm(dim)` (eps 1e-5, affine). */
import * as tf from '@tensorflow/tfjs-core';
import { layerNormKernel, layerNormKernelAvailable } from '../backend/layer-norm-kernel.js';
import type { ParamStore } from './params.js';

/** PyTorch's `nn.LayerNorm` default epsilon. */
const EPS = 1e-5;

/** A layer norm with learnable gain and shift. */
export interface LayerNorm {
  apply<T extends tf.Tensor>(x: T): T;
}

/**
 * Creates a layer norm over a last axis of size `dim` (gain `<path>/weight` = 1, shift `<path>/bias` = 0);
 * `eps` as PyTorch's argument (TFT's norms use 1e-3). @default eps 1e-5
 */
export function createLayerNorm(store: ParamStore, path: string, dim: number, eps = EPS): LayerNorm {
  const weight = store.constant(`${path}/weight`, [dim], 1);
  const bias = store.constant(`${path}/bias`, [dim], 0);
  return {
    apply<T extends tf.Tensor>(x: T): T {
      // One op each way on wasm (~30 composed kernels per norm and step otherwise).
      if (layerNormKernelAvailable(x)) return tf.tidy(() => layerNormKernel(x, weight, bias, eps));
      return tf.tidy(() => {
        const axis = x.rank - 1;
        // [..., D] -> mean/var [..., 1]; biased variance as PyTorch uses.
        const { mean, variance } = tf.moments(x, axis, true);
        const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
        return tf.add(tf.mul(normed, weight), bias) as T;
      });
    },
  };
}

/**
 * A layer norm over the trailing `shape.length` axes jointly, as PyTorch's
 * `nn.LayerNorm(normalized_shape=shape)` (TSMixerx's `LayerNorm((h, C))`): one mean and variance
 * per leading index, an elementwise gain `<path>/weight` and shift `<path>/bias` of `shape`.
 */
export function createLayerNormOver(
  store: ParamStore,
  path: string,
  shape: readonly number[],
  eps = EPS,
): LayerNorm {
  const weight = store.constant(`${path}/weight`, shape, 1);
  const bias = store.constant(`${path}/bias`, shape, 0);
  return {
    apply<T extends tf.Tensor>(x: T): T {
      return tf.tidy(() => {
        const axes = shape.map((_, i) => x.rank - shape.length + i);
        // [..., *shape] -> mean/var [..., 1, …, 1]; biased variance as PyTorch uses.
        const { mean, variance } = tf.moments(x, axes, true);
        const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
        return tf.add(tf.mul(normed, weight), bias) as T;
      });
    },
  };
}
