/** MSE: mean squared error, masked. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { pointLoss } from './point-loss.js';
import { weightedMean } from './weighted-mean.js';

/** NeuralForecast's `MSE()`: mean of (y - y_hat)^2 over observed horizon steps. */
export const mse = defineLoss({
  id: 'mse',
  label: 'MSE',
  description: 'Mean squared error.',
  paramsSchema: z.object({}).strict(),
  create: () =>
    pointLoss({
      id: 'mse',
      label: 'MSE',
      compute: ({ y, yHat, mask }) => weightedMean(tf.squaredDifference(y, yHat), mask),
    }),
});
