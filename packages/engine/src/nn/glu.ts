/** The gated linear unit of TFT (Lim et al. 2021, eq. 5): a dense layer to 2·out, then a ⊙ σ(b). */
import * as tf from '@tensorflow/tfjs-core';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';

/**
 * PyTorch's `F.glu` over the last axis: the first half gated by the sigmoid of the second,
 * [..., 2n] -> [..., n].
 */
export function glu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const [a, b] = tf.split(x, 2, -1);
    return tf.mul(a!, tf.sigmoid(b!)) as T;
  });
}

/** A GLU layer: `glu(x W + b)` with W [in, 2·out] (NeuralForecast TFT's `GLU`, its weights under `<path>/lin`). */
export interface GluLayer {
  readonly lin: Linear;
  apply<T extends tf.Tensor>(x: T): T;
}

/** Creates a GLU layer from `inFeatures` to `outFeatures`. */
export function createGlu(
  store: ParamStore,
  options: { readonly path: string; readonly inFeatures: number; readonly outFeatures: number },
): GluLayer {
  const lin = createLinear(store, {
    path: `${options.path}/lin`,
    inFeatures: options.inFeatures,
    outFeatures: 2 * options.outFeatures,
  });
  return { lin, apply: (x) => tf.tidy(() => glu(lin.apply(x))) };
}
