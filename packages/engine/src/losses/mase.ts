/** MASE: absolute error scaled by the in-sample seasonal-naive MAE of each window. */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { seasonalitySchema } from './param-schemas.js';
import { pointLoss } from './point-loss.js';
import { divideNoNan, weightedMean } from './weighted-mean.js';

/**
 * NeuralForecast's `MASE(seasonality)`: |y - y_hat| / mean(|y_t - y_{t-s}|) over the input window.
 * Like NeuralForecast, the in-sample scale uses every input step (padding included, it is not masked).
 */
export const mase = defineLoss({
  id: 'mase',
  label: 'MASE',
  description: 'Mean absolute scaled error against the seasonal naive of the input window.',
  paramsSchema: z.object({ seasonality: seasonalitySchema }).strict(),
  create: ({ seasonality }) =>
    pointLoss({
      id: 'mase',
      label: 'MASE',
      compute: ({ y, yHat, mask, yInsample }) => {
        const l = yInsample.shape[1];
        if (l <= seasonality) {
          throw new ConfigError(
            `loss 'mase': seasonality ${seasonality} must be smaller than input_size ${l}`,
          );
        }
        const later = tf.slice(yInsample, [0, seasonality, 0], [-1, -1, -1]); // [B, L-s, 1]
        const earlier = tf.slice(yInsample, [0, 0, 0], [-1, l - seasonality, -1]); // [B, L-s, 1]
        const scale = tf.mean(tf.abs(tf.sub(later, earlier)), 1, true); // [B, L-s, 1] -> [B, 1, 1]
        return weightedMean(divideNoNan(tf.abs(tf.sub(y, yHat)), scale), mask);
      },
    }),
});
