/**
 * KernelSHAP's regression step, as shap 0.51's `KernelExplainer.solve`: optional feature
 * selection by LARS on the augmented problem, then weighted least squares with the last selected
 * feature eliminated so the values sum to f(x) − E[f] exactly.
 */
import { larsActiveSet } from './lars.js';
import { leastSquaresMinNorm, solveLinearSystem } from './linear-algebra.js';
import type { Matrix } from './linear-algebra.js';

/** shap's `l1_reg`: `false` solves for every varying feature; `{ numFeatures: k }` keeps LARS's first k. */
export type KernelShapL1Reg = false | { readonly numFeatures: number };

/** What one output's regression needs. */
export interface KernelShapProblem {
  readonly masks: readonly Uint8Array[];
  readonly weights: Float64Array;
  /** Mean prediction over the background for each coalition, for this output. */
  readonly coalitionMeans: Float64Array;
  /** f(x) − E[f] for this output. */
  readonly difference: number;
  /** Mean prediction over the background, E[f]. */
  readonly expectedValue: number;
  /** shap's allocated nsamples: LARS divides by 2 × this many rows. */
  readonly allocated: number;
  readonly l1Reg: KernelShapL1Reg;
}

/** The selection's augmented least squares (shap's `mask_aug`, `eyAdj_aug`): constraint folded in as extra rows. */
function selectFeatures(problem: KernelShapProblem, m: number, numFeatures: number): number[] {
  const { masks, weights, coalitionMeans, difference, expectedValue } = problem;
  const n = masks.length;
  const columns = Array.from({ length: m }, () => new Float64Array(2 * n));
  const target = new Float64Array(2 * n);
  masks.forEach((mask, k) => {
    const size = mask.reduce((sum, bit) => sum + bit, 0);
    const w = weights[k] as number;
    const inside = Math.sqrt(w * (m - size));
    const outside = Math.sqrt(w * size);
    const adjusted = (coalitionMeans[k] as number) - expectedValue;
    target[k] = inside * adjusted;
    target[n + k] = outside * (adjusted - difference);
    columns.forEach((column, j) => {
      column[k] = inside * (mask[j] as number);
      column[n + k] = outside * ((mask[j] as number) - 1);
    });
  });
  // shap's mask matrix also holds the rows of unused samples (all zero); sklearn still counts them.
  return larsActiveSet(columns, target, numFeatures, 2 * problem.allocated);
}

/**
 * Shapley values for the M varying players of one output (shap's `solve`): the selected players
 * get the constrained weighted least-squares fit, the others 0; |φ| < 1e-10 is set to 0 as shap does.
 * Also returns the selected players (in LARS order when selection ran).
 */
export function solveKernelShap(
  problem: KernelShapProblem,
  m: number,
): { values: number[]; selected: number[] } {
  const { masks, weights, coalitionMeans, difference, expectedValue, l1Reg } = problem;
  const selected =
    l1Reg === false ? Array.from({ length: m }, (_, j) => j) : selectFeatures(problem, m, l1Reg.numFeatures);
  const values = new Array<number>(m).fill(0);
  if (selected.length === 0) return { values, selected };
  const last = selected[selected.length - 1] as number;
  const others = selected.slice(0, -1);
  const k = others.length;
  // Eliminating φ_last = difference − Σ others turns the constrained fit into an unconstrained one:
  // regress (ȳ_S − E[f] − z_last · difference) on (z_j − z_last).
  const rowOf = (sample: number, x: Float64Array): number => {
    const mask = masks[sample] as Uint8Array;
    const zLast = mask[last] as number;
    others.forEach((j, a) => (x[a] = (mask[j] as number) - zLast));
    return (coalitionMeans[sample] as number) - expectedValue - zLast * difference;
  };
  const xtwx: Matrix = Array.from({ length: k }, () => new Float64Array(k));
  const xtwy = new Float64Array(k);
  const x = new Float64Array(k);
  for (let sample = 0; sample < masks.length; sample++) {
    const y = rowOf(sample, x);
    const w = weights[sample] as number;
    for (let a = 0; a < k; a++) {
      const wxa = w * (x[a] as number);
      if (wxa === 0) continue;
      xtwy[a] = (xtwy[a] as number) + wxa * y;
      const row = xtwx[a] as Float64Array;
      for (let b = 0; b < k; b++) row[b] = (row[b] as number) + wxa * (x[b] as number);
    }
  }
  let phi = k === 0 ? new Float64Array(0) : solveLinearSystem(xtwx, xtwy);
  if (phi === null) {
    // numpy raised LinAlgError (an exactly singular system): shap then takes lstsq's minimum-norm solution.
    const columns = Array.from({ length: k }, () => new Float64Array(masks.length));
    const target = new Float64Array(masks.length);
    for (let sample = 0; sample < masks.length; sample++) {
      const root = Math.sqrt(weights[sample] as number);
      target[sample] = root * rowOf(sample, x);
      columns.forEach((column, a) => (column[sample] = root * (x[a] as number)));
    }
    phi = leastSquaresMinNorm(columns, target);
  }
  let sum = 0;
  others.forEach((j, a) => {
    values[j] = phi[a] as number;
    sum += phi[a] as number;
  });
  values[last] = difference - sum;
  return { values: values.map((v) => (Math.abs(v) < 1e-10 ? 0 : v)), selected };
}
