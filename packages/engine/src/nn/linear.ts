/** Fully connected layer with PyTorch's default initialisation, so initial conditions match NeuralForecast's. */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './params.js';

/** A dense layer `y = x W + b` over the last axis. */
export interface Linear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** [in, out] weight matrix (transposed relative to PyTorch's [out, in] so `x.matMul(W)` needs no transpose). */
  readonly kernel: tf.Variable;
  /** [out] bias, absent when built with `bias: false`. */
  readonly bias: tf.Variable | undefined;
  /** Applies the layer to [..., in] and returns [..., out]. */
  apply<T extends tf.Tensor>(x: T): T;
}

/** Options of {@link createLinear}. */
export interface LinearOptions {
  /** Variable path under the model, e.g. `block_0/mlp_1`; `/kernel` and `/bias` are appended. */
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Whether the layer adds a bias. @default true */
  readonly bias?: boolean;
}

/**
 * Creates a dense layer. PyTorch's `nn.Linear.reset_parameters` draws the weight with
 * `kaiming_uniform_(a=√5)`, whose bound simplifies to 1/√fan_in, and the bias from the same
 * U(-1/√fan_in, 1/√fan_in); we draw both from the store's seeded stream.
 */
export function createLinear(store: ParamStore, options: LinearOptions): Linear {
  const { path, inFeatures, outFeatures } = options;
  const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
  const range = { low: -bound, high: bound };
  const kernel = store.uniform(`${path}/kernel`, [inFeatures, outFeatures], range);
  const bias = options.bias === false ? undefined : store.uniform(`${path}/bias`, [outFeatures], range);
  return {
    inFeatures,
    outFeatures,
    kernel,
    bias,
    apply<T extends tf.Tensor>(x: T): T {
      return tf.tidy(() => {
        const lead = x.shape.slice(0, -1);
        // [..., in] -> [N, in] -> [N, out] -> [..., out]
        const flat = x.rank === 2 ? (x as unknown as tf.Tensor2D) : tf.reshape(x, [-1, inFeatures]);
        let y: tf.Tensor2D = tf.matMul(flat as tf.Tensor2D, kernel);
        if (bias) y = tf.add(y, bias);
        return (x.rank === 2 ? y : tf.reshape(y, [...lead, outFeatures])) as T;
      });
    },
  };
}
