/** The masked means NeuralForecast's losses reduce with, and its division guard. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * a / b with 0 wherever b is 0 (NeuralForecast's `_divide_no_nan` turns the resulting NaN and
 * +-inf into 0), gradients 0 there too. A custom gradient keeps the comparison with 0 off the tape:
 * tfjs has no gradient for comparisons and refuses any op without one between weights and loss.
 */
export function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const divide = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    // customGrad passes the inputs, then its save function.
    const [num, den, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const zero = tf.equal(den, 0);
    const safe = tf.where(zero, tf.onesLike(den), den);
    const ratio = tf.where(zero, tf.zerosLike(tf.div(num, safe)), tf.div(num, safe));
    save([num, safe, zero]);
    return {
      value: ratio,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [n, s, z] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const dNum = tf.where(z, tf.zerosLike(dy), tf.div(dy, s));
        const dDen = tf.where(z, tf.zerosLike(dy), tf.neg(tf.div(tf.mul(dy, n), tf.square(s))));
        // Undo broadcasting: each input gets a gradient of its own shape.
        return [sumTo(dNum, n.shape), sumTo(dDen, s.shape)];
      },
    };
  });
  return divide(a, b);
}

/** Sums a broadcast gradient back down to `shape`. */
function sumTo(grad: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const offset = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank; i += 1) {
    if (i < offset || (shape[i - offset] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? tf.sum(grad, axes, true) : grad;
  return tf.reshape(summed, [...shape]);
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
