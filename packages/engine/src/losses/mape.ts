/** MAPE: mean absolute percentage error (a fraction, not percent). */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { pointLoss } from './point-loss.js';
import { divideNoNan, weightedMean } from './weighted-mean.js';

/** NeuralForecast's `MAPE()`: mean of |y - y_hat| / |y|; steps with y = 0 contribute 0. */
export const mape = defineLoss({
  id: 'mape',
  label: 'MAPE',
  description: 'Mean absolute percentage error; zero targets contribute 0.',
  paramsSchema: z.object({}).strict(),
  create: () =>
    pointLoss({
      id: 'mape',
      label: 'MAPE',
      compute: ({ y, yHat, mask }) =>
        weightedMean(tf.mul(tf.abs(tf.sub(y, yHat)), divideNoNan(tf.onesLike(y), tf.abs(y))), mask),
    }),
});
