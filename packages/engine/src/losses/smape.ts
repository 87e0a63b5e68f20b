/** sMAPE: symmetric mean absolute percentage error, bounded by 2. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { pointLoss } from './point-loss.js';
import { divideNoNan, weightedMean } from './weighted-mean.js';

/** NeuralForecast's `SMAPE()`: 2 * mean of |y - y_hat| / (|y| + |y_hat|), 0/0 counting as 0. */
export const smape = defineLoss({
  id: 'smape',
  label: 'SMAPE',
  description: 'Symmetric mean absolute percentage error (0 to 2).',
  paramsSchema: z.object({}).strict(),
  create: () =>
    pointLoss({
      id: 'smape',
      label: 'SMAPE',
      compute: ({ y, yHat, mask }) => {
        const ratio = divideNoNan(tf.abs(tf.sub(y, yHat)), tf.add(tf.abs(y), tf.abs(yHat))); // [B, H, 1]
        return tf.mul(weightedMean(ratio, mask), 2);
      },
    }),
});
