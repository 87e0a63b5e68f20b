/** TiDE's residual block: Linear → ReLU → Linear → dropout, plus a linear skip, then optional layer norm. */
import * as tf from '@tensorflow/tfjs-core';
import { relu } from '../../nn/activations.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLayerNorm, type LayerNorm } from '../../nn/layer-norm.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** Options of {@link createMlpResidual}. */
export interface MlpResidualOptions {
  readonly path: string;
  readonly inputDim: number;
  readonly hiddenSize: number;
  readonly outputDim: number;
  readonly dropout: number;
  readonly layernorm: boolean;
}

/** A residual block `[..., in] -> [..., out]`. */
export interface MlpResidual {
  apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T;
}

/** Creates a residual block; variables in NeuralForecast's module order (norm, lin1, lin2, skip). */
export function createMlpResidual(store: ParamStore, options: MlpResidualOptions): MlpResidual {
  const { path } = options;
  const norm: LayerNorm | undefined = options.layernorm
    ? createLayerNorm(store, `${path}/norm`, options.outputDim)
    : undefined;
  const lin1 = createLinear(store, {
    path: `${path}/lin1`,
    inFeatures: options.inputDim,
    outFeatures: options.hiddenSize,
  });
  const lin2 = createLinear(store, {
    path: `${path}/lin2`,
    inFeatures: options.hiddenSize,
    outFeatures: options.outputDim,
  });
  const skip = createLinear(store, {
    path: `${path}/skip`,
    inFeatures: options.inputDim,
    outFeatures: options.outputDim,
  });
  return {
    apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T {
      const hidden = dropout(lin2.apply(lin1.apply(x, relu)), options.dropout, ctx); // [..., in] -> [..., out]
      const sum = tf.add(hidden, skip.apply(x)) as T; // + skip [..., out]
      return norm ? norm.apply(sum) : sum;
    },
  };
}
