/**
 * Mask-aware reductions over the time axis (axis 1) of [B, T, C] windows, the building blocks of
 * the window scalers. Masked positions never reach a statistic: they are replaced before reducing
 * (not multiplied by 0) so NaN padding cannot leak in. A column with no observed value gets 0,
 * as NeuralForecast's `nan_to_num` does.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Broadcasts a [B, T, 1] or [B, T, C] mask to x's shape as a boolean tensor. */
export function maskToBool(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.broadcastTo(tf.greater(mask, 0), x.shape) as tf.Tensor3D);
}

/** Number of observed values per column: [B, T, C] -> [B, 1, C]. */
export function maskedCount(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.sum(tf.cast(maskToBool(x, mask), 'float32'), 1, true) as tf.Tensor3D);
}

/** Mean of the observed values per column, 0 where none: [B, T, C] -> [B, 1, C]. */
export function maskedMean(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const valid = maskToBool(x, mask);
    const total = tf.sum(tf.where(valid, x, tf.zerosLike(x)), 1, true); // [B, 1, C]
    const count = tf.sum(tf.cast(valid, 'float32'), 1, true); // [B, 1, C]
    return tf.where(
      tf.greater(count, 0),
      tf.div(total, tf.maximum(count, 1)),
      tf.zerosLike(total),
    ) as tf.Tensor3D;
  });
}

/** Population standard deviation of the observed values (divides by n, as NeuralForecast): [B, 1, C]. */
export function maskedStd(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const mean = maskedMean(x, mask);
    return tf.sqrt(maskedMean(tf.square(tf.sub(x, mean)) as tf.Tensor3D, mask)) as tf.Tensor3D;
  });
}

/**
 * Lower median of the observed values per column (PyTorch's `nanmedian` takes the lower of the two
 * middle values for an even count, not their average): [B, T, C] -> [B, 1, C].
 */
export function maskedMedian(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, t, c] = x.shape;
    const valid = maskToBool(x, mask);
    // Masked values sort last: topk of the negated values is an ascending sort.
    const filled = tf.where(valid, x, tf.fill(x.shape, Infinity)); // [B, T, C]
    const byColumn = tf.transpose(filled, [0, 2, 1]); // [B, T, C] -> [B, C, T]
    const ascending = tf.neg(tf.topk(tf.neg(byColumn), t, true).values); // [B, C, T]
    const count = tf.sum(tf.cast(valid, 'int32'), 1); // [B, C]
    // Index of the lower median is floor((n - 1) / 2); -1 (no values) selects nothing -> 0.
    // The cast matters: the wasm backend's FloorDiv returns float32 even for int32 inputs.
    const index = tf.cast(tf.floorDiv(tf.sub(count, 1), 2), 'int32'); // [B, C]
    const pick = tf.cast(tf.oneHot(tf.reshape(index, [-1]), t), 'bool'); // [B*C, T]
    const flat = tf.reshape(ascending, [b * c, t]); // [B, C, T] -> [B*C, T]
    const median = tf.sum(tf.where(pick, flat, tf.zerosLike(flat)), 1); // [B*C]
    return tf.reshape(median, [b, 1, c]) as tf.Tensor3D;
  });
}

/** Minimum and maximum of the observed values per column, 0 where none: [B, 1, C] each. */
export function maskedMinMax(x: tf.Tensor3D, mask: tf.Tensor3D): { min: tf.Tensor3D; max: tf.Tensor3D } {
  return tf.tidy(() => {
    const valid = maskToBool(x, mask);
    const any = tf.greater(tf.sum(tf.cast(valid, 'float32'), 1, true), 0); // [B, 1, C]
    const min = tf.min(tf.where(valid, x, tf.fill(x.shape, Infinity)), 1, true); // [B, 1, C]
    const max = tf.max(tf.where(valid, x, tf.fill(x.shape, -Infinity)), 1, true); // [B, 1, C]
    return {
      min: tf.where(any, min, tf.zerosLike(min)) as tf.Tensor3D,
      max: tf.where(any, max, tf.zerosLike(max)) as tf.Tensor3D,
    };
  });
}
