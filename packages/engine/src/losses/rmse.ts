/** RMSE: root of the masked mean squared error. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { pointLoss } from './point-loss.js';
import { weightedMean } from './weighted-mean.js';

/** NeuralForecast's `RMSE()`: sqrt of the masked mean of (y - y_hat)^2 over the whole batch. */
export const rmse = defineLoss({
  id: 'rmse',
  label: 'RMSE',
  description: 'Root mean squared error.',
  paramsSchema: z.object({}).strict(),
  create: () =>
    pointLoss({
      id: 'rmse',
      label: 'RMSE',
      compute: ({ y, yHat, mask }) => tf.sqrt(weightedMean(tf.squaredDifference(y, yHat), mask)),
    }),
});
