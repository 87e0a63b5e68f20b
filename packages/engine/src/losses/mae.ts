/** MAE: mean absolute error, masked. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { maePass } from './mae-pass.js';
import { pointLoss } from './point-loss.js';
import { weightedMean } from './weighted-mean.js';

/** NeuralForecast's `MAE()`: mean of |y - y_hat| over observed horizon steps. */
export const mae = defineLoss({
  id: 'mae',
  label: 'MAE',
  description: 'Mean absolute error.',
  paramsSchema: z.object({}).strict(),
  create: () =>
    pointLoss({
      id: 'mae',
      label: 'MAE',
      compute: ({ y, yHat, mask }) => weightedMean(tf.abs(tf.sub(y, yHat)), mask),
      fused: ({ y, yHat, mask }) => maePass(y, yHat, mask),
    }),
});
