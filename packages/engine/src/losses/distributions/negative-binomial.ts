/** NegativeBinomial(total_count, probs), PyTorch's parameterisation (mean = r p / (1 - p)). */
import * as tf from '@tensorflow/tfjs-core';
import { at, num, type DistributionFamily } from './family.js';
import { gammaDraw, poissonDraw } from './draws.js';
import { lgamma } from './lgamma.js';

/** PyTorch clamps probabilities to [eps, 1 - eps] (float32 eps) before taking logits. */
const PROB_EPS = 1.1920928955078125e-7;

/**
 * NegativeBinomial from raw (mu, alpha): mu = (softplus + 1e-8) * scale + loc,
 * alpha = (softplus + 1e-8) / (scale + 1), total_count = 1 / alpha, probs = mu alpha / (1 + mu alpha) + 1e-8.
 */
export const negativeBinomial: DistributionFamily = {
  name: 'NegativeBinomial',
  paramNames: ['-total_count', '-logits'],
  decouple: (raw, scale) => {
    const mu = tf.add(tf.mul(tf.add(tf.softplus(at(raw, 0)), 1e-8), scale.scale), scale.loc);
    const alpha = tf.div(tf.add(tf.softplus(at(raw, 1)), 1e-8), tf.add(scale.scale, 1));
    const muAlpha = tf.mul(mu, alpha);
    return [
      tf.div(1, alpha) as tf.Tensor3D,
      tf.add(tf.div(muAlpha, tf.add(muAlpha, 1)), 1e-8) as tf.Tensor3D,
    ];
  },
  // log p(k) = lgamma(k + r) - lgamma(k + 1) - lgamma(r) + r log(1 - p) + k log(p).
  logProb: (y, params) => {
    const r = at(params, 0);
    const p = tf.clipByValue(at(params, 1), PROB_EPS, 1 - PROB_EPS);
    const combinations = tf.sub(tf.sub(lgamma(tf.add(y, r)), lgamma(tf.add(y, 1))), lgamma(r));
    return tf.add(combinations, tf.add(tf.mul(r, tf.log1p(tf.neg(p))), tf.mul(y, tf.log(p))));
  },
  mean: (params) => {
    const p = tf.clipByValue(at(params, 1), PROB_EPS, 1 - PROB_EPS);
    return tf.div(tf.mul(at(params, 0), p), tf.sub(1, p));
  },
  // Gamma-Poisson mixture: rate ~ Gamma(r, p / (1 - p)).
  draw: (rng, p) => {
    const probs = Math.min(Math.max(num(p, 1), PROB_EPS), 1 - PROB_EPS);
    return poissonDraw(rng, gammaDraw(rng, num(p, 0)) * (probs / (1 - probs)));
  },
};
