/**
 * log Gamma for x > 0, as tfjs-core has no lgamma: Lanczos (g = 7, 9 terms) on x + 1, then
 * lgamma(x) = lgamma(x + 1) - log(x) so the series is always evaluated where it is accurate.
 * The tensor version is built from differentiable ops, so gradients flow to df / total_count.
 */
import * as tf from '@tensorflow/tfjs-core';

const G = 7;
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** lgamma of a positive number (double precision). */
export function lgammaNumber(x: number): number {
  let a = COEFFICIENTS[0];
  for (let i = 1; i < COEFFICIENTS.length; i += 1) a += (COEFFICIENTS[i] as number) / (x + i);
  const t = x + G + 0.5;
  return HALF_LOG_TWO_PI + (x + 0.5) * Math.log(t) - t + Math.log(a) - Math.log(x);
}

/** Elementwise lgamma of a positive tensor, differentiable. */
export function lgamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let a: tf.Tensor = tf.fill(x.shape, COEFFICIENTS[0]);
    for (let i = 1; i < COEFFICIENTS.length; i += 1)
      a = tf.add(a, tf.div(COEFFICIENTS[i] as number, tf.add(x, i)));
    const t = tf.add(x, G + 0.5);
    const main = tf.sub(tf.mul(tf.add(x, 0.5), tf.log(t)), t);
    return tf.sub(tf.add(tf.add(main, HALF_LOG_TWO_PI), tf.log(a)), tf.log(x));
  });
}
