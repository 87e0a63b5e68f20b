import { ConfigError } from '@nflab/contracts';
import type { EffectMagnitude } from './effect-magnitude.js';
import { effectMagnitude } from './effect-magnitude.js';
import { friedmanTest } from './friedman.js';
import { requirePairs, requireSample } from './inputs.js';
import { meanAndVariance } from './moments.js';
import { wilcoxonSignedRank } from './wilcoxon.js';

// Sign convention throughout: negative when x is smaller than y, i.e. for losses, when x is better.

/** Cohen's dz for paired samples: mean(x − y) / sd(x − y) (sd with n − 1); null when sd = 0. Needs 2 pairs. */
export function cohensDz(x: readonly number[], y: readonly number[]): number | null {
  requirePairs(x, y, "Cohen's dz", 2);
  const { mean, variance } = meanAndVariance(x.map((xi, i) => xi - (y[i] ?? 0)));
  return variance > 0 ? mean / Math.sqrt(variance) : null;
}

/** Pooled-sd Cohen's d of the two samples; checks shared by d and g. */
function pooledD(x: readonly number[], y: readonly number[], name: string): number | null {
  requireSample(x, 'x', name, 1);
  requireSample(y, 'y', name, 1);
  if (x.length + y.length < 3) {
    throw new ConfigError(`${name} needs at least 3 values in x and y together, got ${x.length + y.length}`);
  }
  const a = meanAndVariance(x);
  const b = meanAndVariance(y);
  // A sample of one value has no variance of its own; its weight n − 1 = 0 drops it from the pool.
  const pooled =
    ((x.length - 1) * (a.variance || 0) + (y.length - 1) * (b.variance || 0)) / (x.length + y.length - 2);
  return pooled > 0 ? (a.mean - b.mean) / Math.sqrt(pooled) : null;
}

/**
 * Cohen's d: (mean x − mean y) / s_p, s_p² = ((n_x − 1)s_x² + (n_y − 1)s_y²) / (n_x + n_y − 2).
 * Null when s_p = 0 (both samples constant). Needs 3 values in all, one in each sample.
 */
export function cohensD(x: readonly number[], y: readonly number[]): number | null {
  return pooledD(x, y, "Cohen's d");
}

/** Hedges' g = d · (1 − 3 / (4(n_x + n_y) − 9)), Cohen's d with the small-sample bias correction. */
export function hedgesG(x: readonly number[], y: readonly number[]): number | null {
  const d = pooledD(x, y, "Hedges' g");
  return d === null ? null : d * (1 - 3 / (4 * (x.length + y.length) - 9));
}

/** Index of the first element of `sorted` that is ≥ value (when `strict`, > value). */
function bound(sorted: Float64Array, value: number, strict: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const v = sorted[mid] ?? 0;
    if (v < value || (strict && v === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Cliff's delta = mean over all pairs (i, j) of sign(x_i − y_j), in [−1, 1]: P(x > y) − P(x < y).
 * Counted with a sorted copy of y and binary search, O((n_x + n_y) log n_y), not over all pairs.
 */
export function cliffsDelta(x: readonly number[], y: readonly number[]): number {
  requireSample(x, 'x', "Cliff's delta", 1);
  requireSample(y, 'y', "Cliff's delta", 1);
  const sorted = Float64Array.from(y).sort();
  let dominance = 0;
  for (const xi of x) {
    const below = bound(sorted, xi, false);
    const above = sorted.length - bound(sorted, xi, true);
    dominance += below - above;
  }
  return dominance / (x.length * y.length);
}

/**
 * Matched-pairs rank-biserial correlation (Kerby 2014) from the signed-rank sums of x − y, zeros
 * dropped: r = (W+ − W−) / (W+ + W−), in [−1, 1]. Null when every difference is zero.
 */
export function rankBiserial(x: readonly number[], y: readonly number[]): number | null {
  requirePairs(x, y, 'rank-biserial correlation', 1);
  const {
    rankSumPositive: plus,
    rankSumNegative: minus,
    nonZero,
  } = wilcoxonSignedRank(x, y, { method: 'normal' });
  return nonZero === 0 ? null : (plus - minus) / (plus + minus);
}

/** Kendall's W of a blocks × runs matrix: agreement of the blocks' rankings, from {@link friedmanTest}. */
export function kendallsW(matrix: readonly (readonly number[])[]): number | null {
  return friedmanTest(matrix).kendallsW;
}

/** An effect size with its verbal magnitude (see EFFECT_SIZE_THRESHOLDS). */
export interface EffectSize {
  readonly value: number | null;
  readonly magnitude: EffectMagnitude | null;
}

/** All two-run effect sizes of {@link effectSizes}. */
export interface EffectSizes {
  /** Paired: mean(x − y)/sd(x − y). */
  readonly cohensDz: EffectSize;
  /** x and y as independent samples, pooled sd. */
  readonly cohensD: EffectSize;
  readonly hedgesG: EffectSize;
  readonly cliffsDelta: EffectSize;
  /** Paired: matched-pairs rank-biserial correlation. */
  readonly rankBiserial: EffectSize;
}

/**
 * Every effect size of two runs' aligned losses x and y (at least 2 pairs): the paired dz and
 * rank-biserial r, and d, g and Cliff's delta treating x and y as two samples. Negative = x lower.
 */
export function effectSizes(x: readonly number[], y: readonly number[]): EffectSizes {
  requirePairs(x, y, 'effectSizes', 2);
  const dz = cohensDz(x, y);
  const d = cohensD(x, y);
  const g = hedgesG(x, y);
  const delta = cliffsDelta(x, y);
  const r = rankBiserial(x, y);
  return {
    cohensDz: { value: dz, magnitude: effectMagnitude(dz, 'cohen-d') },
    cohensD: { value: d, magnitude: effectMagnitude(d, 'cohen-d') },
    hedgesG: { value: g, magnitude: effectMagnitude(g, 'cohen-d') },
    cliffsDelta: { value: delta, magnitude: effectMagnitude(delta, 'cliffs-delta') },
    rankBiserial: { value: r, magnitude: effectMagnitude(r, 'correlation') },
  };
}
