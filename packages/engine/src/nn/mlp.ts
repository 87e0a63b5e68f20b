/** A stack of dense layers with an activation (and optional dropout) between them. */
import type * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activations.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';

/** Options of {@link createMlp}. */
export interface MlpOptions {
  /** Variable path prefix; layer i is `<path>/layer_<i>`. */
  readonly path: string;
  /** Layer widths including the input: `[in, h1, …, out]` makes `sizes.length - 1` layers. */
  readonly sizes: readonly number[];
  readonly activation: Activation;
  /** Dropout probability after each activation. @default 0 */
  readonly dropout?: number;
  /** Whether the last layer is followed by the activation (and dropout) too. @default true */
  readonly activateLast?: boolean;
}

/** A dense stack `[..., in] -> [..., out]`. */
export interface Mlp {
  readonly layers: readonly Linear[];
  apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T;
}

/** Creates a dense stack; layers are created (and so initialised) first to last. */
export function createMlp(store: ParamStore, options: MlpOptions): Mlp {
  const { sizes, activation } = options;
  const rate = options.dropout ?? 0;
  const activateLast = options.activateLast ?? true;
  const layers: Linear[] = [];
  for (let i = 0; i + 1 < sizes.length; i += 1) {
    layers.push(
      createLinear(store, {
        path: `${options.path}/layer_${i}`,
        inFeatures: sizes[i] as number,
        outFeatures: sizes[i + 1] as number,
      }),
    );
  }
  return {
    layers,
    apply<T extends tf.Tensor>(x: T, ctx: ForwardContext): T {
      let y = x;
      layers.forEach((layer, i) => {
        const activated = activateLast || i < layers.length - 1;
        y = layer.apply(y, activated ? activation : undefined);
        if (activated) y = dropout(y, rate, ctx);
      });
      return y;
    },
  };
}
