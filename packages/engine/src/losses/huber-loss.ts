/** Huber loss: quadratic for small errors, linear beyond delta. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { positiveSchema } from './param-schemas.js';
import { pointLoss } from './point-loss.js';
import { weightedMean } from './weighted-mean.js';

/**
 * Elementwise Huber: 0.5 e^2 for |e| <= delta, else delta (|e| - delta / 2), written as
 * 0.5 m^2 + delta (|e| - m) with m = min(|e|, delta) so no comparison sits on the gradient path.
 */
export function huber(y: tf.Tensor, yHat: tf.Tensor, delta: number): tf.Tensor {
  return tf.tidy(() => {
    const abs = tf.abs(tf.sub(y, yHat));
    const m = tf.minimum(abs, delta);
    return tf.add(tf.mul(tf.square(m), 0.5), tf.mul(tf.sub(abs, m), delta));
  });
}

/** NeuralForecast's `HuberLoss(delta=1.0)`, masked mean over the batch. */
export const huberloss = defineLoss({
  id: 'huberloss',
  label: 'HuberLoss',
  description: 'Huber loss: squared error below delta, absolute error above.',
  paramsSchema: z.object({ delta: positiveSchema.default(1) }).strict(),
  create: ({ delta }) =>
    pointLoss({
      id: 'huberloss',
      label: 'HuberLoss',
      compute: ({ y, yHat, mask }) => weightedMean(huber(y, yHat, delta), mask),
    }),
});
