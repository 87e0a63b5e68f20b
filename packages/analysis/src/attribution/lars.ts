/**
 * Least Angle Regression's active set, as scikit-learn's `lars_path(X, y, max_iter=r)` (method
 * 'lar', no Gram matrix, alpha_min 0) computes it: shap 0.51's default `l1_reg="num_features(10)"`
 * keeps exactly the features this returns. Ported step for step — the stopping rule
 * (max |Xᵀr| / n_samples ≤ float32 eps), the sign flip that skips an addition in the next
 * iteration, the 'degenerate regressor' branch and the rounding of the equiangular correlations
 * to 15 decimals — because each of them can change which features shap keeps.
 * @see Efron, Hastie, Johnstone & Tibshirani (2004), Least angle regression, Ann. Statist. 32(2).
 */
import { choleskySolve, dot, forwardSubstitute } from './linear-algebra.js';
import type { Matrix } from './linear-algebra.js';

const TINY32 = 1.1754943508222875e-38; // np.finfo(np.float32).tiny: keeps divisions finite
const EQUALITY_TOLERANCE = 1.1920928955078125e-7; // np.finfo(np.float32).eps
const EPS = Number.EPSILON; // lars_path's default eps, the floor of a Cholesky pivot

/** Smallest strictly positive entry, or the largest double when there is none (sklearn's min_pos). */
function minPositive(values: ArrayLike<number>): number {
  let min = Number.MAX_VALUE;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value > 0 && value < min) min = value;
  }
  return min;
}

/** numpy's `around(x, 15)`: scale, round half to even, unscale. */
function around15(value: number): number {
  const scaled = value * 1e15;
  let rounded = Math.round(scaled);
  if (Math.abs(scaled % 1) === 0.5 && rounded % 2 !== 0) rounded -= 1;
  return rounded / 1e15;
}

function swap<T>(items: T[], i: number, j: number): void {
  const held = items[i] as T;
  items[i] = items[j] as T;
  items[j] = held;
}

/**
 * Indices of the active features, in the order they entered, after at most `maxIter` LAR steps.
 * `columns` are X's columns (length n each), `y` the target, `nSamples` the row count sklearn
 * divides by (y.size — the caller may leave out all-zero rows but must count them here).
 */
export function larsActiveSet(
  columns: readonly Float64Array[],
  y: Float64Array,
  maxIter: number,
  nSamples: number,
): number[] {
  const nFeatures = columns.length;
  const maxFeatures = Math.min(maxIter, nFeatures);
  const cols = columns.slice();
  const indices = Array.from({ length: nFeatures }, (_, i) => i);
  let cov = cols.map((column) => dot(column, y));
  const active: number[] = [];
  const signActive: number[] = [];
  const coef = new Float64Array(nFeatures);
  const l: Matrix = Array.from({ length: maxFeatures }, () => new Float64Array(maxFeatures));
  let nIter = 0;
  let nActive = 0;
  let drop = false;
  for (;;) {
    let cIdx = 0;
    let c = 0;
    for (let i = 0; i < cov.length; i++) {
      const magnitude = Math.abs(cov[i] as number);
      if (magnitude > c) {
        c = magnitude;
        cIdx = i;
      }
    }
    const cSigned = cov.length > 0 ? (cov[cIdx] as number) : 0;
    if (c / nSamples <= EQUALITY_TOLERANCE) break;
    if (nIter >= maxIter || nActive >= nFeatures) break;
    if (!drop) {
      const m = nActive;
      const n = cIdx + nActive;
      swap(cov, cIdx, 0);
      swap(indices, n, m);
      swap(cols, n, m);
      const covNotShortened = cov;
      cov = cov.slice(1);
      const entering = cols[nActive] as Float64Array;
      const cSquared = dot(entering, entering);
      const row = l[nActive] as Float64Array;
      for (let j = 0; j < nActive; j++) row[j] = dot(entering, cols[j] as Float64Array);
      if (nActive > 0) row.set(forwardSubstitute(l, row.subarray(0, nActive), nActive));
      const v = dot(row.subarray(0, nActive), row.subarray(0, nActive));
      const diagonal = Math.max(Math.sqrt(Math.abs(cSquared - v)), EPS);
      row[nActive] = diagonal;
      if (diagonal < 1e-7) {
        // sklearn's 'drop for good': zero this covariance and retry; its column swap stays, as there.
        cov = covNotShortened;
        cov[0] = 0;
        swap(cov, cIdx, 0);
        continue;
      }
      signActive[nActive] = Math.sign(cSigned);
      active.push(indices[nActive] as number);
      nActive += 1;
    }
    const signs = Float64Array.from(signActive.slice(0, nActive));
    let leastSquares = choleskySolve(l, signs, nActive);
    let aa: number;
    if (nActive === 1 && leastSquares[0] === 0) {
      leastSquares[0] = 1;
      aa = 1;
    } else {
      aa = 1 / Math.sqrt(dot(leastSquares, signs));
      if (!Number.isFinite(aa)) {
        // L is too ill-conditioned: lift its diagonal by growing multiples of eps until it is not.
        const lifted = l.slice(0, nActive).map((r) => Float64Array.from(r));
        for (let i = 0; !Number.isFinite(aa); i++) {
          for (let j = 0; j < nActive; j++) {
            const row = lifted[j] as Float64Array;
            row[j] = (row[j] as number) + 2 ** i * EPS;
          }
          leastSquares = choleskySolve(lifted, signs, nActive);
          aa = 1 / Math.sqrt(Math.max(dot(leastSquares, signs), EPS));
        }
      }
      for (let j = 0; j < nActive; j++) leastSquares[j] = (leastSquares[j] as number) * aa;
    }
    const rows = y.length;
    const equiangular = new Float64Array(rows);
    for (let j = 0; j < nActive; j++) {
      const column = cols[j] as Float64Array;
      const weight = leastSquares[j] as number;
      for (let r = 0; r < rows; r++)
        equiangular[r] = (equiangular[r] as number) + (column[r] as number) * weight;
    }
    const corrEqDir = cov.map((_, j) => around15(dot(cols[nActive + j] as Float64Array, equiangular)));
    const g1 = minPositive(cov.map((value, j) => (c - value) / (aa - (corrEqDir[j] as number) + TINY32)));
    const g2 = minPositive(cov.map((value, j) => (c + value) / (aa + (corrEqDir[j] as number) + TINY32)));
    const gamma = Math.min(g1, g2, c / aa);
    drop = false;
    const z = active.map((feature, j) => -(coef[feature] as number) / ((leastSquares[j] as number) + TINY32));
    const zPositive = minPositive(z);
    if (zPositive < gamma) {
      // A coefficient would cross zero: LAR flips its sign and adds no feature next step.
      z.forEach((value, j) => {
        if (value === zPositive) signActive[j] = -(signActive[j] as number);
      });
      drop = true;
    }
    nIter += 1;
    active.forEach((feature, j) => {
      coef[feature] = (coef[feature] as number) + gamma * (leastSquares[j] as number);
    });
    cov = cov.map((value, j) => value - gamma * (corrEqDir[j] as number));
  }
  return active;
}
