/**
 * B-spline basis on a uniform knot vector, as NeuralForecast's `KANLinear.b_splines` computes it
 * (Cox–de Boor recursion), plus the minimum-norm fit `KANLinear.curve2coeff` uses at initialisation.
 * @see de Boor (1972), "On calculating with B-splines"; Liu et al. (2024), "KAN: Kolmogorov-Arnold Networks".
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * NeuralForecast's KAN grid: knots `grid_range[0] + i·step` for i = -order … gridSize + order,
 * step = (grid_range[1] − grid_range[0]) / gridSize; gridSize + 2·order + 1 knots.
 */
export function uniformKnots(gridSize: number, order: number, range: readonly [number, number]): number[] {
  const step = (range[1] - range[0]) / gridSize;
  return Array.from({ length: gridSize + 2 * order + 1 }, (_, i) => (i - order) * step + range[0]);
}

/**
 * The gridSize + order basis functions of degree `order` at x ([N, in] → [N, in, gridSize + order])
 * on a uniform knot vector (NeuralForecast's grid, never updated). Degree 0 is the indicator of
 * [t_i, t_{i+1}), written as step(t_{i+1} − x) − step(t_i − x) so its gradient is defined (zero) as
 * in PyTorch; each degree k then mixes neighbours (Cox–de Boor, with t_{i+k} − t_i = k·step):
 * B_{i,k}(x) = (x − t_i)/(k·step)·B_{i,k−1}(x) + (t_{i+k+1} − x)/(k·step)·B_{i+1,k−1}(x).
 * Every op works on one [knots, N·in] matrix D = t_j − x made by a single matmul and slices whole
 * rows of it, so no op broadcasts or slices strided columns (both slow on TensorFlow.js's CPU backend).
 */
export function bSplineBasis(x: tf.Tensor2D, knots: readonly number[], order: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [N, I] = x.shape;
    const T = knots.length;
    const step = (knots[1] as number) - (knots[0] as number);
    const M = N * I;
    // D[j, m] = t_j − x_m = [t_j, −1] · [1; x_m]  ([T, 2] x [2, M])
    const xs = tf.concat([tf.ones([1, M]), tf.reshape(x, [1, M])], 0);
    const lift = tf.tensor2d(
      knots.flatMap((t) => [t, -1]),
      [T, 2],
    );
    const d = tf.matMul(lift, xs);
    const rows = (t: tf.Tensor, from: number, count: number): tf.Tensor2D =>
      tf.slice(t as tf.Tensor2D, [from, 0], [count, M]);
    // [T-1, M]: 1 where t_i <= x < t_{i+1}, i.e. step(D_{i+1}) − step(D_i).
    let bases: tf.Tensor2D = tf.sub(tf.step(rows(d, 1, T - 1)), tf.step(rows(d, 0, T - 1)));
    for (let k = 1; k <= order; k += 1) {
      const n = T - 1 - k; // functions of degree k
      const inv = 1 / (k * step);
      const left = tf.mul(rows(d, 0, n), tf.scalar(-inv)); // (x − t_i)/(k·step)
      const right = tf.mul(rows(d, k + 1, n), tf.scalar(inv)); // (t_{i+k+1} − x)/(k·step)
      bases = tf.add(tf.mul(left, rows(bases, 0, n)), tf.mul(right, rows(bases, 1, n)));
    }
    // [C, M] -> [M, C] -> [N, in, C]
    return tf.reshape(tf.transpose(bases), [N, I, T - 1 - order]);
  });
}

/** Cox–de Boor in plain numbers: the basis values at one point (for initialisation and tests). */
export function bSplineBasisAt(x: number, knots: readonly number[], order: number): number[] {
  let bases: number[] = knots.slice(0, -1).map((ti, i) => (x >= ti && x < (knots[i + 1] as number) ? 1 : 0));
  for (let k = 1; k <= order; k += 1) {
    const next: number[] = [];
    for (let i = 0; i < bases.length - 1; i += 1) {
      const ti = knots[i] as number;
      const tik = knots[i + k] as number;
      const ti1 = knots[i + 1] as number;
      const tik1 = knots[i + k + 1] as number;
      next.push(
        ((x - ti) / (tik - ti)) * (bases[i] as number) +
          ((tik1 - x) / (tik1 - ti1)) * (bases[i + 1] as number),
      );
    }
    bases = next;
  }
  return bases;
}

/**
 * The pseudo-inverse A⁺ = Aᵀ(AAᵀ)⁻¹ of A = basis at the gridSize + 1 interior knots
 * ([gridSize + 1, gridSize + order], full row rank). `curve2coeff` solves this underdetermined
 * system with `torch.linalg.lstsq`, whose default CPU driver (gelsy) returns the minimum-norm
 * solution A⁺y; returned as rows [gridSize + order][gridSize + 1].
 */
export function interiorPseudoInverse(knots: readonly number[], gridSize: number, order: number): number[][] {
  const rows = Array.from({ length: gridSize + 1 }, (_, j) =>
    bSplineBasisAt(knots[order + j] as number, knots, order),
  );
  const m = rows.length;
  const n = (rows[0] as number[]).length;
  // G = AAᵀ (m × m), inverted by Gauss–Jordan with partial pivoting.
  const g = rows.map((ri) => rows.map((rj) => ri.reduce((s, v, c) => s + v * (rj[c] as number), 0)));
  const inv = g.map((_, i) => g.map((__, j) => (i === j ? 1 : 0)));
  for (let col = 0; col < m; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < m; r += 1) if (Math.abs(g[r]![col]!) > Math.abs(g[pivot]![col]!)) pivot = r;
    [g[col], g[pivot]] = [g[pivot]!, g[col]!];
    [inv[col], inv[pivot]] = [inv[pivot]!, inv[col]!];
    const p = g[col]![col]!;
    for (let c = 0; c < m; c += 1) {
      g[col]![c]! /= p;
      inv[col]![c]! /= p;
    }
    for (let r = 0; r < m; r += 1) {
      if (r === col) continue;
      const f = g[r]![col]!;
      if (f === 0) continue;
      for (let c = 0; c < m; c += 1) {
        g[r]![c]! -= f * g[col]![c]!;
        inv[r]![c]! -= f * inv[col]![c]!;
      }
    }
  }
  // A⁺[c][j] = Σ_i A[i][c] · inv[i][j]
  return Array.from({ length: n }, (_, c) =>
    Array.from({ length: m }, (__, j) => rows.reduce((s, ri, i) => s + (ri[c] as number) * inv[i]![j]!, 0)),
  );
}
