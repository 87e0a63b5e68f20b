/** Inverted dropout with seeded masks, active only while training (PyTorch's `nn.Dropout`). */
import * as tf from '@tensorflow/tfjs-core';
import { dropoutMask } from './dropout-mask.js';
import type { ForwardContext } from './forward-context.js';

/**
 * Applies dropout of probability `rate` during training, scaling what is kept by 1/(1-rate) so
 * expectations match eval (the mask: dropout-mask.ts); the identity otherwise or when `rate` is 0,
 * zeros when it is 1 (as PyTorch).
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext): T {
  if (!ctx.training || rate === 0) return x;
  if (rate >= 1) return tf.zerosLike(x);
  return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, rate, ctx.nextSeed())) as T);
}
