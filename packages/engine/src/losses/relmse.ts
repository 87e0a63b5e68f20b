/** relMSE: MSE relative to the MSE of a benchmark forecast. */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { seasonalitySchema } from './param-schemas.js';
import { pointLoss } from './point-loss.js';
import { divideNoNan, weightedMean } from './weighted-mean.js';

/**
 * Seasonal-naive benchmark of each window: horizon step k repeats input step L - s + (k mod s).
 * [B, L, 1] -> [B, H, 1].
 */
export function seasonalNaive(yInsample: tf.Tensor3D, h: number, seasonality: number): tf.Tensor3D {
  return tf.tidy(() => {
    const l = yInsample.shape[1];
    const indices = Array.from({ length: h }, (_, k) => l - seasonality + (k % seasonality));
    return tf.gather(yInsample, indices, 1) as tf.Tensor3D;
  });
}

/**
 * NeuralForecast's `relMSE`: MSE(y, y_hat) / (MSE(y, y_benchmark) + 1e-5). NeuralForecast takes the
 * benchmark as an extra argument its training loop never passes; here it is the seasonal naive of
 * the input window (`seasonality` 1 = repeat the last input value), in the same space as y.
 */
export const relmse = defineLoss({
  id: 'relmse',
  label: 'relMSE',
  description: 'MSE relative to the seasonal-naive forecast of the input window.',
  paramsSchema: z.object({ seasonality: seasonalitySchema.default(1) }).strict(),
  create: ({ seasonality }) =>
    pointLoss({
      id: 'relmse',
      label: 'relMSE',
      compute: ({ y, yHat, mask, yInsample }) => {
        if (yInsample.shape[1] < seasonality) {
          throw new ConfigError(
            `loss 'relmse': seasonality ${seasonality} must not exceed input_size ${yInsample.shape[1]}`,
          );
        }
        const benchmark = seasonalNaive(yInsample, y.shape[1], seasonality); // [B, H, 1]
        const norm = tf.add(weightedMean(tf.squaredDifference(y, benchmark), mask), 1e-5);
        return divideNoNan(weightedMean(tf.squaredDifference(y, yHat), mask), norm) as tf.Scalar;
      },
    }),
});
