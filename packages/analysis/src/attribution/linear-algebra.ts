/**
 * The small dense solvers KernelSHAP needs, written out because the analysis package has no
 * linear-algebra dependency: numpy's `linalg.solve` (LU with partial pivoting), its `lstsq`
 * fallback (minimum-norm least squares via an SVD) and the Cholesky triangular solves LARS uses.
 */

/** A dense matrix as rows; `matrix[i][j]` is row i, column j. */
export type Matrix = Float64Array[];

const at = (row: Float64Array | undefined, j: number): number => (row as Float64Array)[j] as number;

/**
 * Solves A x = b by LU with partial pivoting (LAPACK gesv's pivot choice: the first largest
 * |a| in the column). Returns null when a pivot is exactly zero — the case where numpy raises
 * LinAlgError and shap falls back to least squares. A and b are not modified.
 */
export function solveLinearSystem(a: Matrix, b: Float64Array): Float64Array | null {
  const n = b.length;
  const lu: Float64Array[] = a.map((row) => Float64Array.from(row));
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    let best = Math.abs(at(lu[k], k));
    for (let i = k + 1; i < n; i++) {
      const value = Math.abs(at(lu[i], k));
      if (value > best) {
        best = value;
        pivot = i;
      }
    }
    if (best === 0) return null;
    if (pivot !== k) {
      [lu[k], lu[pivot]] = [lu[pivot] as Float64Array, lu[k] as Float64Array];
      [x[k], x[pivot]] = [x[pivot] as number, x[k] as number];
    }
    const pivotRow = lu[k] as Float64Array;
    const diagonal = pivotRow[k] as number;
    for (let i = k + 1; i < n; i++) {
      const row = lu[i] as Float64Array;
      const factor = (row[k] as number) / diagonal;
      if (factor === 0) continue;
      for (let j = k + 1; j < n; j++) row[j] = (row[j] as number) - factor * (pivotRow[j] as number);
      x[i] = (x[i] as number) - factor * (x[k] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const row = lu[i] as Float64Array;
    let sum = x[i] as number;
    for (let j = i + 1; j < n; j++) sum -= (row[j] as number) * (x[j] as number);
    x[i] = sum / (row[i] as number);
  }
  return x;
}

/**
 * Minimum-norm least-squares solution of min ‖A x − b‖ for A given as its columns (each of
 * length n), as numpy's `lstsq(rcond=None)`: singular values below eps · max(n, k) · σ_max count
 * as zero. The SVD is one-sided Jacobi (Hestenes), accurate to rounding without forming AᵀA.
 */
export function leastSquaresMinNorm(columns: readonly Float64Array[], b: Float64Array): Float64Array {
  const k = columns.length;
  const n = b.length;
  const u = columns.map((column) => Float64Array.from(column));
  const v: Matrix = Array.from({ length: k }, (_, i) => {
    const row = new Float64Array(k);
    row[i] = 1;
    return row;
  });
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const up = u[p] as Float64Array;
        const uq = u[q] as Float64Array;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const a = up[i] as number;
          const c = uq[i] as number;
          alpha += a * a;
          beta += c * c;
          gamma += a * c;
        }
        if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cos = 1 / Math.sqrt(1 + t * t);
        const sin = cos * t;
        for (let i = 0; i < n; i++) {
          const a = up[i] as number;
          const c = uq[i] as number;
          up[i] = cos * a - sin * c;
          uq[i] = sin * a + cos * c;
        }
        for (let i = 0; i < k; i++) {
          const row = v[i] as Float64Array;
          const a = row[p] as number;
          const c = row[q] as number;
          row[p] = cos * a - sin * c;
          row[q] = sin * a + cos * c;
        }
      }
    }
    if (!rotated) break;
  }
  // Now A V = U' with orthogonal columns u_i = σ_i û_i, so x = Σ v_i (u_i · b) / σ_i².
  const sigmaSquared = u.map((column) => column.reduce((sum, value) => sum + value * value, 0));
  const sigmaMax = Math.sqrt(Math.max(0, ...sigmaSquared));
  const cutoff = Number.EPSILON * Math.max(n, k) * sigmaMax;
  const x = new Float64Array(k);
  sigmaSquared.forEach((s2, i) => {
    if (!(Math.sqrt(s2) > cutoff)) return;
    const column = u[i] as Float64Array;
    let projection = 0;
    for (let r = 0; r < n; r++) projection += (column[r] as number) * (b[r] as number);
    const scale = projection / s2;
    for (let j = 0; j < k; j++) x[j] = (x[j] as number) + at(v[j], i) * scale;
  });
  return x;
}

/** Solves L y = b for lower-triangular L (its first n rows and columns). */
export function forwardSubstitute(l: Matrix, b: Float64Array, n = b.length): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = l[i] as Float64Array;
    let sum = b[i] as number;
    for (let j = 0; j < i; j++) sum -= (row[j] as number) * (y[j] as number);
    y[i] = sum / (row[i] as number);
  }
  return y;
}

/** Solves L Lᵀ x = b given the lower Cholesky factor L (LAPACK potrs). */
export function choleskySolve(l: Matrix, b: Float64Array, n = b.length): Float64Array {
  const y = forwardSubstitute(l, b, n);
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let j = i + 1; j < n; j++) sum -= at(l[j], i) * (x[j] as number);
    x[i] = sum / at(l[i], i);
  }
  return x;
}

/** Dot product of two equal-length vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
