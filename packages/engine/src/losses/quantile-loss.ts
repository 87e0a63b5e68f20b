/** Quantile (pinball) loss at one quantile q. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { quantileSchema } from './param-schemas.js';
import { pointLoss } from './point-loss.js';
import { weightedMean } from './weighted-mean.js';

/** Elementwise pinball: max(q e, (q - 1) e) with e = y - y_hat. */
export function pinball(y: tf.Tensor, yHat: tf.Tensor, q: number | tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const e = tf.sub(y, yHat);
    return tf.maximum(tf.mul(e, q), tf.mul(e, tf.sub(q, 1)));
  });
}

/** NeuralForecast's `QuantileLoss(q)`; its forecast column is named `_ql<q>` as NeuralForecast does. */
export const quantileloss = defineLoss({
  id: 'quantileloss',
  label: 'QuantileLoss',
  description: 'Pinball loss of one quantile q.',
  paramsSchema: z.object({ q: quantileSchema }).strict(),
  create: ({ q }) =>
    pointLoss({
      id: 'quantileloss',
      label: 'QuantileLoss',
      outputNames: [`_ql${String(q)}`],
      compute: ({ y, yHat, mask }) => weightedMean(pinball(y, yHat, q), mask),
    }),
});
