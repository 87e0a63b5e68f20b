/**
 * TiDE's layer norm (PyTorch's `nn.LayerNorm(dim)`: eps 1e-5, affine, over the last axis) as one
 * op with a closed-form backward. The forward runs the shared layer norm's kernels in its order
 * (nn/layer-norm.ts, so the same values); differentiating those ops instead ran about twenty
 * passes over each [1024, 512] activation per step and saved clones of every input on the tape:
 *   g = dy·γ,  dx = (g − mean(g) − x̂·mean(g·x̂)) / σ,  dγ = Σ dy·x̂,  dβ = Σ dy
 * (means over the normalised axis, sums over every other).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerNorm } from '../../nn/layer-norm.js';
import type { ParamStore } from '../../nn/params.js';

/** PyTorch's `nn.LayerNorm` default epsilon. */
const EPS = 1e-5;

/** x [..., D] normalised over D with gain γ and shift β [D]; gradients for all three. */
const layerNormOp = tf.customGrad((x, gamma, beta, save) => {
  const input = x as tf.Tensor;
  const axis = input.rank - 1;
  const { mean, variance } = tf.moments(input, axis, true); // [..., 1] each, biased variance
  const sigma = tf.sqrt(tf.add(variance, EPS)); // [..., 1]
  const normed = tf.div(tf.sub(input, mean), sigma); // x̂ [..., D]
  (save as tf.GradSaveFunc)([normed, sigma, gamma as tf.Tensor]);
  return {
    value: tf.add(tf.mul(normed, gamma as tf.Tensor), beta as tf.Tensor),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xHat, sd, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D];
      const D = g.shape[0];
      const scaled = tf.mul(dy, g); // dy·γ [..., D]
      const meanScaled = tf.mean(scaled, axis, true); // [..., 1]
      const meanProjected = tf.mean(tf.mul(scaled, xHat), axis, true); // [..., 1]
      const dx = tf.div(tf.sub(tf.sub(scaled, meanScaled), tf.mul(xHat, meanProjected)), sd);
      const rows = tf.reshape(dy, [-1, D]); // [..., D] -> [M, D]
      const dGamma = tf.sum(tf.mul(rows, tf.reshape(xHat, [-1, D])), 0); // [D]
      return [dx, dGamma, tf.sum(rows, 0)];
    },
  };
});

/**
 * Creates TiDE's layer norm over a last axis of size `dim`: gain `<path>/weight` = 1 and shift
 * `<path>/bias` = 0, the variables (and names) of nn/layer-norm's `createLayerNorm`.
 */
export function createTideLayerNorm(store: ParamStore, path: string, dim: number): LayerNorm {
  const weight = store.constant(`${path}/weight`, [dim], 1);
  const bias = store.constant(`${path}/bias`, [dim], 0);
  return {
    apply: <T extends tf.Tensor>(x: T): T => layerNormOp(x, weight, bias) as T,
  };
}
