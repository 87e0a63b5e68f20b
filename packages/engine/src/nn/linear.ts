/** Fully connected layer with PyTorch's default initialisation, so initial conditions match NeuralForecast's. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activations.js';
import { denseRelu } from './dense-relu.js';
import type { ParamStore } from './params.js';

/** A dense layer `y = x W + b` over the last axis. */
export interface Linear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** [in, out] weight matrix (transposed relative to PyTorch's [out, in] so `x.matMul(W)` needs no transpose). */
  readonly kernel: tf.Variable;
  /** [out] bias, absent when built with `bias: false`. */
  readonly bias: tf.Variable | undefined;
  /**
   * Applies the layer to [..., in] and returns [..., out]; with `activation`, returns
   * activation(x W + b), as one op (and one backward pass) where the activation is fusable.
   */
  apply<T extends tf.Tensor>(x: T, activation?: Activation): T;
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
    apply<T extends tf.Tensor>(x: T, activation?: Activation): T {
      return tf.tidy(() => {
        const lead = x.shape.slice(0, -1);
        // [..., in] -> [N, in] -> [N, out] -> [..., out]
        const flat =
          x.rank === 2 ? (x as unknown as tf.Tensor2D) : (tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D);
        let y: tf.Tensor2D;
        if (bias && activation?.fused === 'relu')
          y = denseRelu(flat, kernel as tf.Tensor2D, bias as tf.Tensor1D);
        else {
          // A linear fused matMul adds the bias in the matmul's epilogue, in training too.
          y = (bias ? tf.fused.matMul({ a: flat, b: kernel, bias }) : tf.matMul(flat, kernel)) as tf.Tensor2D;
          if (activation) y = activation(y);
        }
        return (x.rank === 2 ? y : tf.reshape(y, [...lead, outFeatures])) as T;
      });
    },
  };
}
