/** Student's t(df, loc, scale). */
import * as tf from '@tensorflow/tfjs-core';
import { at, num, type DistributionFamily } from './family.js';
import { gammaDraw } from './draws.js';
import { lgamma } from './lgamma.js';

const HALF_LOG_PI = 0.5 * Math.log(Math.PI);

/**
 * StudentT: df = 3 + softplus(raw), loc = raw * scale + loc, scale = (softplus(raw) + 0.1) * scale
 * (NeuralForecast's eps 0.1); raw outputs in NeuralForecast's order df, loc, scale.
 */
export const studentT: DistributionFamily = {
  name: 'StudentT',
  paramNames: ['-df', '-loc', '-scale'],
  decouple: (raw, scale) => [
    tf.add(tf.softplus(at(raw, 0)), 3) as tf.Tensor3D,
    tf.add(tf.mul(at(raw, 1), scale.scale), scale.loc) as tf.Tensor3D,
    tf.mul(tf.add(tf.softplus(at(raw, 2)), 0.1), scale.scale) as tf.Tensor3D,
  ],
  logProb: (y, params) => {
    const df = at(params, 0);
    const s = at(params, 2);
    const z = tf.div(tf.sub(y, at(params, 1)), s);
    // log p = -(df+1)/2 log1p(z^2/df) - [log s + log(df)/2 + log(pi)/2 + lgamma(df/2) - lgamma((df+1)/2)]
    const normaliser = tf.add(
      tf.add(tf.log(s), tf.mul(tf.log(df), 0.5)),
      tf.add(HALF_LOG_PI, tf.sub(lgamma(tf.mul(df, 0.5)), lgamma(tf.mul(tf.add(df, 1), 0.5)))),
    );
    return tf.sub(tf.mul(tf.mul(tf.add(df, 1), -0.5), tf.log1p(tf.div(tf.square(z), df))), normaliser);
  },
  // df >= 3 always, so the mean exists and is loc.
  mean: (params) => tf.clone(at(params, 1)),
  draw: (rng, p) => {
    const df = num(p, 0);
    const chi2 = 2 * gammaDraw(rng, df / 2);
    return num(p, 1) + num(p, 2) * (rng.normal() / Math.sqrt(chi2 / df));
  },
};
