/** The masked means NeuralForecast's losses reduce with, and its division guard. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * a / b with 0 wherever b is 0 (NeuralForecast's `_divide_no_nan` turns the resulting NaN and
 * +-inf into 0). The denominator is swapped for 1 first so no inf reaches the gradient.
 */
export function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.equal(b, 0);
    const safe = tf.where(zero, tf.onesLike(b), b);
    const ratio = tf.div(a, safe);
    return tf.where(zero, tf.zerosLike(ratio), ratio);
  });
}

/**
 * Point losses' reduction: sum(losses * weights) / sum(weights), 0 when no weight (NeuralForecast's
 * `_weighted_mean`). Zero-weight entries are dropped before multiplying so a NaN target under the
 * mask cannot poison the sum.
 */
export function weightedMean(losses: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    // The condition comes from the weights alone: nothing without a gradient sits on the losses' path.
    const product = tf.mul(losses, weights);
    const weighted = tf.where(tf.greater(weights, 0), product, tf.zerosLike(product));
    return divideNoNan(tf.sum(weighted), tf.sum(weights)) as tf.Scalar;
  });
}

/**
 * Distribution losses' reduction: sum(x * w over w != 0) / max(sum(w), 1) (NeuralForecast's
 * `weighted_average`, whose clamp differs from the point losses' guard when weights sum below 1).
 */
export function weightedAverage(values: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const product = tf.mul(values, weights);
    const weighted = tf.where(tf.notEqual(weights, 0), product, tf.zerosLike(product));
    return tf.div(tf.sum(weighted), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
  });
}
