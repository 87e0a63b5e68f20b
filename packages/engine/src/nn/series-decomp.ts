/**
 * NeuralForecast's `MovingAvg` and `SeriesDecomp` (common/_modules.py): a centred moving average
 * over time whose input is padded by repeating its first and last values (k−1)/2 times, and the
 * split of a series into that trend and the remainder. DLinear decomposes its window with it;
 * Autoformer and FEDformer decompose every hidden sequence with it.
 *
 * The average is a fixed [L, L] matrix (the padding folded into its edge rows), applied over the
 * time axis as one broadcast matmul, so the backward pass is the matmul's.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Row-major [L, L] matrix M with `trend = y · M` for a row vector y of length L: a centred moving
 * average of odd width `window` with the first and last values repeated (window−1)/2 times at the
 * edges; M[s, t] is the weight of step s in the average at step t.
 */
export function movingAverageMatrix(length: number, window: number): Float32Array {
  const m = new Float32Array(length * length);
  const half = (window - 1) / 2;
  for (let t = 0; t < length; t += 1) {
    for (let p = t - half; p <= t + half; p += 1) {
      const s = Math.min(Math.max(p, 0), length - 1);
      m[s * length + t] = (m[s * length + t] as number) + 1 / window;
    }
  }
  return m;
}

/** The two parts of {@link seriesDecomposition}. */
export interface SeriesParts<T extends tf.Tensor> {
  /** x − trend (NeuralForecast's `res`, the seasonal part). */
  readonly seasonal: T;
  readonly trend: T;
}

/**
 * A series decomposition of odd width `window`: `apply(x)` splits x [B, L, C] into trend (the
 * moving average over L) and seasonal (x − trend). The matrix of each length is built once.
 */
export function createSeriesDecomposition(window: number): {
  apply(x: tf.Tensor3D): SeriesParts<tf.Tensor3D>;
  /** The seasonal part alone, as one product with I − M (no trend, subtraction or its backward). */
  seasonal(x: tf.Tensor3D): tf.Tensor3D;
} {
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0) {
    throw new RangeError(
      `series decomposition: the moving-average window must be a positive odd integer, got ${window}`,
    );
  }
  const matrices = new Map<number, Float32Array>();
  const averaging = (L: number): Float32Array => {
    let matrix = matrices.get(L);
    if (!matrix) {
      matrix = movingAverageMatrix(L, window);
      matrices.set(L, matrix);
    }
    return matrix;
  };
  const residuals = new Map<number, Float32Array>();
  /** I − M: x·(I − M) = x − trend. */
  const residual = (L: number): Float32Array => {
    let matrix = residuals.get(L);
    if (!matrix) {
      matrix = averaging(L).map((v, i) => (i % (L + 1) === 0 ? 1 : 0) - v);
      residuals.set(L, matrix);
    }
    return matrix;
  };
  /** Σ_s matrix[s, t]·x[b, s, c]: matrixᵀ [L, L] broadcast over the batch -> [B, L, C]. */
  const overTime = (matrix: Float32Array, x: tf.Tensor3D): tf.Tensor3D => {
    const L = x.shape[1];
    return tf.matMul(tf.tensor2d(matrix, [L, L]), x, true, false) as tf.Tensor3D;
  };
  return {
    apply(x) {
      return tf.tidy(() => {
        const trend = overTime(averaging(x.shape[1]), x);
        return { seasonal: tf.sub(x, trend) as tf.Tensor3D, trend };
      });
    },
    seasonal(x) {
      return tf.tidy(() =>
        seasonalByResidual
          ? overTime(residual(x.shape[1]), x)
          : tf.sub(x, overTime(averaging(x.shape[1]), x)),
      );
    },
  };
}

let seasonalByResidual = true;

/** Off: the seasonal part as x − trend, as apply computes it (for A/B measurements and tests). @default on */
export const setSeasonalByResidual = (on: boolean): void => {
  seasonalByResidual = on;
};
