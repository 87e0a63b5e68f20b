/** Poisson(rate). */
import * as tf from '@tensorflow/tfjs-core';
import { at, num, type DistributionFamily } from './family.js';
import { poissonDraw } from './draws.js';
import { lgamma } from './lgamma.js';

/** Poisson: rate = softplus(raw * scale + loc) + 1e-10 (NeuralForecast decouples before the softplus). */
export const poisson: DistributionFamily = {
  name: 'Poisson',
  paramNames: ['-loc'],
  decouple: (raw, scale) => [
    tf.add(tf.softplus(tf.add(tf.mul(at(raw, 0), scale.scale), scale.loc)), 1e-10) as tf.Tensor3D,
  ],
  // log p(k) = k log(rate) - rate - lgamma(k + 1); y is data, so lgamma(y + 1) carries no gradient.
  logProb: (y, params) => {
    const rate = at(params, 0);
    return tf.sub(tf.sub(tf.mul(y, tf.log(rate)), rate), lgamma(tf.add(y, 1)));
  },
  mean: (params) => tf.clone(at(params, 0)),
  draw: (rng, p) => poissonDraw(rng, num(p, 0)),
};
