/** Multi-quantile loss: one output per quantile, averaged pinball losses. */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineLoss } from './define-loss.js';
import { levelSchema, quantilesSchema } from './param-schemas.js';
import { invertOutputs, observedTargets } from './point-loss.js';
import { levelToOutputs, medianIndex, quantilesToOutputs } from './quantile-outputs.js';
import type { Loss } from './types.js';
import { weightedMean } from './weighted-mean.js';

/**
 * NeuralForecast's `MQLoss(level=[80, 90], quantiles=None)`: `quantiles` wins over `level`. Outputs
 * are the quantiles in NeuralForecast's order (from level: median first, then ascending), columns
 * `-median`, `-lo-X`, `-hi-X`; the point forecast is the median column.
 */
export const mqloss = defineLoss({
  id: 'mqloss',
  label: 'MQLoss',
  description: 'Multi-quantile loss over the quantiles of level (or explicit quantiles).',
  paramsSchema: z
    .object({ level: levelSchema.default([80, 90]), quantiles: quantilesSchema.optional() })
    .strict(),
  create: ({ level, quantiles }): Loss => {
    const outputs = quantiles === undefined ? levelToOutputs(level) : quantilesToOutputs(quantiles);
    const qs = outputs.quantiles;
    return {
      id: 'mqloss',
      label: 'MQLoss',
      outputSize: qs.length,
      outputNames: outputs.names,
      pointIndex: medianIndex(qs),
      isDistribution: false,
      domainMap: (raw) => tf.clone(raw),
      compute: ({ y, yHat, mask }) =>
        tf.tidy(() => {
          const q = tf.tensor3d([[qs as number[]]]); // [1, 1, Q]
          const error = tf.sub(yHat, observedTargets(y, mask)); // [B, H, Q] - [B, H, 1]
          const under = tf.relu(tf.neg(error)); // y above the quantile
          const over = tf.relu(error);
          const losses = tf.div(tf.add(tf.mul(q, under), tf.mul(tf.sub(1, q), over)), qs.length); // [B, H, Q]
          // Weights are the [B, H, 1] mask: the sum divides by observed steps, not steps x quantiles.
          return weightedMean(losses, mask);
        }),
      forecast: (yHat, scale) => invertOutputs(yHat, scale),
    };
  },
});
