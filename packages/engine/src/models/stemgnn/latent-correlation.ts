/**
 * StemGNN's latent correlation layer: the graph over the series is learnt from each batch. As
 * NeuralForecast computes it, a GRU reads the N series of a window as a sequence (each step one
 * series' L values) into N hidden units; self-attention between those N hidden units, averaged over
 * the batch, is the adjacency; its normalised Laplacian gives the Chebyshev stack of the graph
 * convolution.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import type { ParamStore } from '../../nn/params.js';
import { createGruCell } from '../recurrent/gru-cell.js';
import { unrollLayer } from '../recurrent/unroll.js';

/**
 * D̂(D − A_sym)D̂ of a batch-mean attention A [N, N], as NeuralForecast's `latent_correlation_layer`:
 * D holds A's row sums (taken before symmetrising), A_sym = (A + Aᵀ)/2, D̂ = diag(1/(√d + 1e-7)).
 */
export function normalizedLaplacian(attention: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const N = attention.shape[0];
    const degree = tf.sum(attention, 1); // [N]
    const symmetric = tf.mul(tf.add(attention, tf.transpose(attention)), 0.5);
    const scale = tf.reciprocal(tf.add(tf.sqrt(degree), 1e-7)); // [N]
    const centered = tf.sub(tf.mul(tf.eye(N), tf.reshape(degree, [N, 1])), symmetric); // D − A_sym
    return tf.mul(tf.mul(centered, tf.reshape(scale, [N, 1])), tf.reshape(scale, [1, N])) as tf.Tensor2D;
  });
}

/**
 * The [4, N, N] stack NeuralForecast's `cheb_polynomial` builds from a Laplacian Λ: zeros (not the
 * identity — its first order is an all-zero matrix, kept as it is), Λ, 2Λ², 2Λ·(2Λ²) − Λ.
 */
export function chebyshevStack(laplacian: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const second = tf.mul(tf.matMul(laplacian, laplacian), 2);
    const third = tf.sub(tf.mul(tf.matMul(laplacian, second), 2), laplacian);
    return tf.stack([tf.zerosLike(laplacian), laplacian, second, third]) as tf.Tensor3D;
  });
}

/** Options of {@link createLatentCorrelation}. */
export interface LatentCorrelationOptions {
  /** Window length L: the GRU's input width. */
  readonly inputSize: number;
  /** Number of series N: the GRU's sequence length and its hidden width. */
  readonly nSeries: number;
  /** Negative slope of the LeakyReLU on the attention scores (`leaky_rate`). */
  readonly leakyRate: number;
  /** Dropout on the attention weights (`dropout_rate`). */
  readonly dropoutRate: number;
}

/** The learnt graph of a batch. */
export interface LatentCorrelation {
  /** [B, L, N] windows -> the batch's Chebyshev stack [4, N, N]. */
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * Creates the layer's weights in NeuralForecast's order: key and query vectors [N, 1] (Xavier
 * uniform with gain 1.414: fan_in 1, fan_out N), then `nn.GRU(L, N)`.
 */
export function createLatentCorrelation(
  store: ParamStore,
  options: LatentCorrelationOptions,
): LatentCorrelation {
  const { inputSize: L, nSeries: N } = options;
  const bound = 1.414 * Math.sqrt(6 / (1 + N));
  const range = { low: -bound, high: bound };
  const key = store.uniform('weight_key/weight', [N, 1], range);
  const query = store.uniform('weight_query/weight', [N, 1], range);
  const gru = createGruCell(store, { path: 'gru', inputSize: L, hiddenSize: N });
  return {
    apply: (x, ctx) =>
      tf.tidy(() => {
        const B = x.shape[0];
        const hidden = unrollLayer(gru, tf.transpose(x, [0, 2, 1]) as tf.Tensor3D); // [B, N steps, L] -> [B, N steps, N units]
        // Each hidden unit is a node whose features are its outputs over the N steps.
        const nodes = tf.reshape(tf.transpose(hidden, [0, 2, 1]), [B * N, N]); // [B·N units, N steps]
        const k = tf.reshape(tf.matMul(nodes, key), [B, N, 1]); // score part of node i
        const q = tf.reshape(tf.matMul(nodes, query), [B, 1, N]); // score part of node j
        const scores = tf.leakyRelu(tf.add(k, q), options.leakyRate); // [B, N, N]: key_i + query_j
        const attention = dropout(tf.softmax(scores), options.dropoutRate, ctx);
        const adjacency = tf.mean(attention, 0) as tf.Tensor2D; // [N, N]
        return chebyshevStack(normalizedLaplacian(adjacency));
      }),
  };
}
