/**
 * Reconciliation matrices as NeuralForecast's HINT offers them: P maps the forecasts of every
 * series to coherent bottom-level forecasts, and S·P maps them back to every level, so the
 * reconciled forecasts add up exactly. MinTrace follows Wickramasuriya, Athanasopoulos & Hyndman
 * (2019), eq. 10: P = J − J·W·U·(Uᵀ·W·U)⁻¹·Uᵀ with U = [I | −A]ᵀ and J = [0 | I].
 */
import { ConfigError, RECONCILIATION_METHODS, type ReconciliationMethod } from '@nflab/contracts';
import { bottomCount, checkHierarchy, type Hierarchy } from './hierarchy.js';

/** NeuralForecast's reconciliation names; `Identity` leaves the base forecasts as they are. */
export const RECONCILIATIONS = RECONCILIATION_METHODS;
export type Reconciliation = ReconciliationMethod;

type Matrix = number[][];

const zeros = (rows: number, columns: number): Matrix =>
  Array.from({ length: rows }, () => new Array<number>(columns).fill(0));

/** X with A·X = B, by Gaussian elimination with partial pivoting (A is small: one row per aggregate). */
const solve = (a: Matrix, b: Matrix): Matrix => {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...(b[i] as number[])]);
  const width = (m[0] as number[]).length;
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12)
      throw new ConfigError(
        'hierarchy: the aggregate rows of S are linearly dependent; list each aggregate once',
      );
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const top = m[col] as number[];
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const row = m[r] as number[];
      const factor = row[col]! / top[col]!;
      for (let c = col; c < width; c += 1) row[c]! -= factor * top[c]!;
    }
  }
  return m.map((row, i) => row.slice(n).map((value) => value / row[i]!));
};

/** MinTrace's P for the diagonal error covariance `w` (one weight per series). */
const minTraceP = (S: readonly (readonly number[])[], w: readonly number[]): Matrix => {
  const n = S.length;
  const b = (S[0] as readonly number[]).length;
  const nAgg = n - b;
  // U (n × nAgg): the identity over the aggregates, −Aᵀ below; Uᵀ·ŷ = 0 says "coherent".
  const U = zeros(n, nAgg);
  for (let k = 0; k < nAgg; k += 1) {
    U[k]![k] = 1;
    for (let j = 0; j < b; j += 1) U[nAgg + j]![k] = -S[k]![j]!;
  }
  const UtWU = zeros(nAgg, nAgg);
  for (let k = 0; k < nAgg; k += 1)
    for (let l = 0; l < nAgg; l += 1)
      for (let i = 0; i < n; i += 1) UtWU[k]![l]! += U[i]![k]! * w[i]! * U[i]![l]!;
  const X = solve(
    UtWU,
    Array.from({ length: nAgg }, (_, k) => U.map((row) => row[k] as number)),
  );
  // P = J − (J·W·U)·X, where J picks the bottom rows.
  const P = zeros(b, n);
  for (let j = 0; j < b; j += 1) {
    P[j]![nAgg + j] = 1;
    for (let k = 0; k < nAgg; k += 1) {
      const jwu = w[nAgg + j]! * U[nAgg + j]![k]!;
      for (let i = 0; i < n; i += 1) P[j]![i]! -= jwu * X[k]![i]!;
    }
  }
  return P;
};

/** P (bottom × series) of `method`, or null for `Identity`. */
export const reconciliationMatrix = (hierarchy: Hierarchy, method: Reconciliation): Matrix | null => {
  checkHierarchy(hierarchy);
  const { S } = hierarchy;
  const n = S.length;
  const b = bottomCount(hierarchy);
  switch (method) {
    case 'Identity':
      return null;
    case 'BottomUp': {
      const P = zeros(b, n);
      for (let j = 0; j < b; j += 1) P[j]![n - b + j] = 1;
      return P;
    }
    case 'MinTraceOLS':
      return minTraceP(S, new Array<number>(n).fill(1));
    case 'MinTraceWLS':
      // Structural scaling: a series' error variance grows with the number of series it sums.
      return minTraceP(
        S,
        S.map((row) => row.reduce((sum, value) => sum + value, 0)),
      );
  }
};

/** S·P (series × series): base forecasts of every series in, coherent forecasts out; null for `Identity`. */
export const coherenceMatrix = (hierarchy: Hierarchy, method: Reconciliation): Matrix | null => {
  const P = reconciliationMatrix(hierarchy, method);
  if (P === null) return null;
  const { S } = hierarchy;
  return S.map((row) => P[0]!.map((_, i) => row.reduce((sum, value, j) => sum + value * P[j]![i]!, 0)));
};
