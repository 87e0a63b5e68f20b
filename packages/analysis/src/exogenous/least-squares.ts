import { ConfigError } from '@nflab/contracts';

// Ordinary least squares by Householder QR (Golub & Van Loan, Matrix Computations, §5.3). QR works on
// X itself, so its error grows with cond(X) rather than cond(X)² as the normal equations' would; the
// residual sum of squares is read off Qᵀy's last m − k entries, which stays accurate for tiny SSRs.
// After k reflections those entries give the SSR of y on the first k columns, so one factorisation
// yields every nested model X[:, 0…k) at once (Granger's restricted and unrestricted fits, lag choice).

/** An OLS fit of y on the columns of X. */
export interface LeastSquaresFit {
  /** β minimising ‖y − Xβ‖², one per column; empty when X is rank-deficient. */
  readonly coefficients: readonly number[];
  /** Residual sum of squares ‖y − Xβ‖² (meaningful only when `fullRank`). */
  readonly ssr: number;
  /** False when a column is (numerically) a combination of earlier ones; β is then not unique. */
  readonly fullRank: boolean;
  /** ssrByColumns[k − 1] = SSR of y on the first k columns, for k = 1 … independentColumns. */
  readonly ssrByColumns: readonly number[];
  /** How many leading columns are numerically independent (= the number of columns when `fullRank`). */
  readonly independentColumns: number;
}

/**
 * Least squares for y (length m) on `columns` (p columns of length m, m ≥ p). Column j counts as
 * dependent on the earlier ones when |R_jj| ≤ max(m, p)·ε·max_{i≤j}|R_ii| (numpy.linalg.matrix_rank's
 * tolerance, with R's diagonal standing in for the singular values).
 */
export function leastSquares(columns: readonly (readonly number[])[], y: readonly number[]): LeastSquaresFit {
  const m = y.length;
  const p = columns.length;
  if (p === 0 || m < p || columns.some((column) => column.length !== m)) {
    throw new ConfigError(`leastSquares needs 1 to ${m} columns of length ${m}, got ${p} columns`);
  }
  const a = columns.map((column) => Float64Array.from(column)); // a[j][i]: column-major copy, reduced in place
  const b = Float64Array.from(y);
  const diagonal = new Float64Array(p);
  const ssrByColumns: number[] = [];
  const scale = Math.max(m, p) * Number.EPSILON;
  let largest = 0;
  let independentColumns = p;
  for (let j = 0; j < p; j++) {
    const column = a[j] as Float64Array;
    let norm = 0;
    for (let i = j; i < m; i++) norm = Math.hypot(norm, column[i] as number);
    // Reflect onto −sign(a_jj)·‖a‖·e_j so v_j = a_jj + sign·‖a‖ does not cancel.
    const alpha = (column[j] as number) >= 0 ? -norm : norm;
    diagonal[j] = alpha;
    largest = Math.max(largest, norm);
    if (norm === 0 || norm <= scale * largest) {
      independentColumns = j;
      break;
    }
    column[j] = (column[j] as number) - alpha; // v = a − α e_j, stored in place; vᵀv = −2α·v_j
    const vNormSquared = -2 * alpha * (column[j] as number);
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = j; i < m; i++) dot += (column[i] as number) * (target[i] as number);
      const factor = (2 * dot) / vNormSquared;
      for (let i = j; i < m; i++) target[i] = (target[i] as number) - factor * (column[i] as number);
    };
    for (let k = j + 1; k < p; k++) reflect(a[k] as Float64Array);
    reflect(b);
    let ssr = 0;
    for (let i = j + 1; i < m; i++) ssr += (b[i] as number) ** 2;
    ssrByColumns.push(ssr);
  }
  const fullRank = independentColumns === p;
  const ssr = ssrByColumns[ssrByColumns.length - 1] ?? Number.NaN;
  if (!fullRank) return { coefficients: [], ssr, fullRank, ssrByColumns, independentColumns };
  // Back-substitution R β = (Qᵀy)[0…p−1]; R_jk (k > j) sits in a[k][j], R_jj in diagonal[j].
  const coefficients = new Array<number>(p).fill(0);
  for (let j = p - 1; j >= 0; j--) {
    let sum = b[j] as number;
    for (let k = j + 1; k < p; k++) sum -= (a[k]?.[j] as number) * (coefficients[k] ?? 0);
    coefficients[j] = sum / (diagonal[j] as number);
  }
  return { coefficients, ssr, fullRank, ssrByColumns, independentColumns };
}
