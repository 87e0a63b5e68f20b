/** Inverted dropout with seeded masks, active only while training (PyTorch's `nn.Dropout`). */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';

/** Applies dropout of probability `rate` during training; the identity otherwise or when `rate` is 0. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext): T {
  if (!ctx.training || rate === 0) return x;
  return tf.tidy(() => {
    // Same shape as x: keep where u >= rate, then scale by 1/(1-rate) so expectations match eval.
    const u = tf.randomUniform(x.shape, 0, 1, 'float32', ctx.nextSeed());
    const keep = tf.cast(tf.greaterEqual(u, rate), 'float32');
    return tf.mul(x, tf.mul(keep, 1 / (1 - rate))) as T;
  });
}
