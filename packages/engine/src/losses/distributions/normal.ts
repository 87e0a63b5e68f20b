/** Normal(loc, scale). */
import * as tf from '@tensorflow/tfjs-core';
import { at, num, type DistributionFamily } from './family.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Normal: mean = raw * scale + loc, std = (softplus(raw) + 0.2) * scale (NeuralForecast's eps 0.2). */
export const normal: DistributionFamily = {
  name: 'Normal',
  paramNames: ['-loc', '-scale'],
  decouple: (raw, scale) => [
    tf.add(tf.mul(at(raw, 0), scale.scale), scale.loc) as tf.Tensor3D,
    tf.mul(tf.add(tf.softplus(at(raw, 1)), 0.2), scale.scale) as tf.Tensor3D,
  ],
  logProb: (y, params) => {
    const z = tf.div(tf.sub(y, at(params, 0)), at(params, 1));
    return tf.neg(tf.add(tf.add(tf.mul(tf.square(z), 0.5), tf.log(at(params, 1))), HALF_LOG_TWO_PI));
  },
  mean: (params) => tf.clone(at(params, 0)),
  draw: (rng, p) => num(p, 0) + num(p, 1) * rng.normal(),
};
