/** Tukey's biweight loss: quadratic near 0, constant beyond c. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { maskedStd } from '../scalers/masked-stats.js';
import { defineLoss } from './define-loss.js';
import { positiveSchema } from './param-schemas.js';
import { pointLoss } from './point-loss.js';
import { weightedMean } from './weighted-mean.js';

/**
 * NeuralForecast's `TukeyLoss(c=4.685, normalize=True)`, with two deliberate differences:
 * - the biweight is rho(e) = c^2/6 (1 - (1 - (e/c)^2)^3) for |e| <= c and c^2/6 beyond; NeuralForecast
 *   drops the outer `1 -`, which makes a perfect forecast cost the most and pushes errors towards c;
 * - `normalize` divides errors by each window's masked std of y over the horizon (+ 0.01) — NeuralForecast
 *   takes that std over the series axis, which for one series is 0 and leaves a constant 0.01.
 * Masked steps are excluded with the same masked mean as the other point losses.
 */
export const tukeyloss = defineLoss({
  id: 'tukeyloss',
  label: 'TukeyLoss',
  description: "Tukey's biweight: bounded loss that ignores errors beyond c (standardised errors).",
  paramsSchema: z
    .object({
      c: positiveSchema.default(4.685),
      normalize: z.boolean({ error: 'must be true or false' }).default(true),
    })
    .strict(),
  create: ({ c, normalize }) =>
    pointLoss({
      id: 'tukeyloss',
      label: 'TukeyLoss',
      compute: ({ y, yHat, mask }) => {
        const std = normalize ? tf.add(maskedStd(y, mask), 0.01) : tf.scalar(1); // [B, 1, 1]
        const u = tf.div(tf.abs(tf.sub(y, yHat)), std); // standardised |error| [B, H, 1]
        // min(u, c) saturates the biweight at 1 beyond c with a zero gradient, no comparison needed.
        const inner = tf.pow(tf.sub(1, tf.square(tf.div(tf.minimum(u, c), c))), 3);
        const rho = tf.sub(1, inner);
        return tf.mul(weightedMean(rho, mask), (c * c) / 6);
      },
    }),
});
