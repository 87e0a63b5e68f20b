import { ConfigError } from '@nflab/contracts';

// Ordinary least squares by Householder QR (Golub & Van Loan, Matrix Computations, §5.3). QR works on
// X itself, so its error grows with cond(X) rather than cond(X)² as the normal equations' would; the
// residual sum of squares is read off Qᵀy's last m − p entries, which stays accurate for tiny SSRs.

/** An OLS fit of y on the columns of X. */
export interface LeastSquaresFit {
  /** β minimising ‖y − Xβ‖², one per column; empty when X is rank-deficient. */
  readonly coefficients: readonly number[];
  /** Residual sum of squares ‖y − Xβ‖². */
  readonly ssr: number;
  /** False when a column is (numerically) a combination of earlier ones; β is then not unique. */
  readonly fullRank: boolean;
}

/**
 * Least squares for y (length m) on `columns` (p columns of length m, m ≥ p). Rank-deficient X
 * (|R_jj| ≤ max(m, p)·ε·max|R_ii|, numpy.linalg.matrix_rank's tolerance) gives fullRank false.
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
  for (let j = 0; j < p; j++) {
    const column = a[j] as Float64Array;
    let norm = 0;
    for (let i = j; i < m; i++) norm = Math.hypot(norm, column[i] as number);
    // Reflect onto −sign(a_jj)·‖a‖·e_j so v_j = a_jj + sign·‖a‖ does not cancel.
    const alpha = (column[j] as number) >= 0 ? -norm : norm;
    diagonal[j] = alpha;
    if (norm === 0) continue;
    column[j] = (column[j] as number) - alpha; // v = a − α e_j, stored in place; vᵀv = 2‖a‖² − 2α a_jj
    const vNormSquared = -2 * alpha * (column[j] as number);
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = j; i < m; i++) dot += (column[i] as number) * (target[i] as number);
      const factor = (2 * dot) / vNormSquared;
      for (let i = j; i < m; i++) target[i] = (target[i] as number) - factor * (column[i] as number);
    };
    for (let k = j + 1; k < p; k++) reflect(a[k] as Float64Array);
    reflect(b);
  }
  let ssr = 0;
  for (let i = p; i < m; i++) ssr += (b[i] as number) ** 2;
  let largest = 0;
  for (const value of diagonal) largest = Math.max(largest, Math.abs(value));
  const tolerance = Math.max(m, p) * Number.EPSILON * largest;
  if (largest === 0 || diagonal.some((value) => Math.abs(value) <= tolerance)) {
    return { coefficients: [], ssr, fullRank: false };
  }
  // Back-substitution R β = (Qᵀy)[0…p−1]; R_jk (k > j) sits in a[k][j], R_jj in diagonal[j].
  const coefficients = new Array<number>(p).fill(0);
  for (let j = p - 1; j >= 0; j--) {
    let sum = b[j] as number;
    for (let k = j + 1; k < p; k++) sum -= (a[k]?.[j] as number) * (coefficients[k] ?? 0);
    coefficients[j] = sum / (diagonal[j] as number);
  }
  return { coefficients, ssr, fullRank: true };
}
