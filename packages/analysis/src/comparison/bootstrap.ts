import type { Seed } from '@nflab/contracts';
import { ConfigError, Rng } from '@nflab/contracts';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { requireOneOf, requirePairs, requireProbability } from './inputs.js';

/** A run's metric computed from its per-point losses (e.g. RMSE from squared errors). */
export type LossMetric = (losses: readonly number[]) => number;

/** Options of {@link pairedBootstrapDifference}. */
export interface PairedBootstrapOptions {
  /** 'mean' (mean of per-point losses, e.g. MAE from |e|) or a function of one run's losses. @default 'mean' */
  readonly metric?: 'mean' | LossMetric;
  /** Bootstrap resamples, 1 … {@link BOOTSTRAP_MAX_RESAMPLES}. @default 2000 */
  readonly resamples?: number;
  /** @default 0.95 */
  readonly confidenceLevel?: number;
  /** 'bca': bias-corrected and accelerated (Efron 1987); 'percentile': plain quantiles. @default 'bca' */
  readonly method?: 'percentile' | 'bca';
  /** Seed of the resampling stream; the same seed gives the same interval. @default 0 */
  readonly seed?: Seed;
}

/** Outcome of {@link pairedBootstrapDifference}. */
export interface PairedBootstrapResult {
  /** metric(a) − metric(b) on all points: negative when run a's metric is lower. */
  readonly estimate: number;
  /** Interval bounds; null only when BCa is undefined (see `reason`). */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly method: 'percentile' | 'bca';
  readonly confidenceLevel: number;
  readonly resamples: number;
  readonly seed: Seed;
  readonly n: number;
  /** Standard deviation of the bootstrap differences (n − 1). */
  readonly standardError: number;
  /** BCa's bias correction z0 and acceleration a; null for the percentile method. */
  readonly biasCorrection: number | null;
  readonly acceleration: number | null;
  readonly reason: string | null;
}

/** Upper limit on resamples: each one costs a pass over all points, and requests choose the number. */
export const BOOTSTRAP_MAX_RESAMPLES = 100_000;
/** BCa with a custom metric runs it n times on n − 1 points (the jackknife); above this n that is too slow. */
export const BOOTSTRAP_MAX_JACKKNIFE_POINTS = 20_000;

/** Quantile with linear interpolation between order statistics (type 7, numpy's and scipy's default). */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return (sorted[low] ?? 0) + (h - low) * ((sorted[high] ?? 0) - (sorted[low] ?? 0));
}

function validate(a: readonly number[], b: readonly number[], options: PairedBootstrapOptions) {
  requirePairs(a, b, 'paired bootstrap', 2, ['a', 'b']);
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > BOOTSTRAP_MAX_RESAMPLES) {
    throw new ConfigError(
      `resamples must be an integer from 1 to ${BOOTSTRAP_MAX_RESAMPLES}, got ${String(resamples)}`,
    );
  }
  const metric = options.metric ?? 'mean';
  if (metric !== 'mean' && typeof metric !== 'function') {
    throw new ConfigError(`metric must be 'mean' or a function of a run's losses, got ${String(metric)}`);
  }
  const method = requireOneOf(options.method ?? 'bca', ['percentile', 'bca'], 'method');
  if (method === 'bca' && metric !== 'mean' && a.length > BOOTSTRAP_MAX_JACKKNIFE_POINTS) {
    throw new ConfigError(
      `BCa with a custom metric supports up to ${BOOTSTRAP_MAX_JACKKNIFE_POINTS} points (its jackknife is O(n²)), got ${a.length}; use method 'percentile' or metric 'mean'`,
    );
  }
  const confidenceLevel = requireProbability(options.confidenceLevel ?? 0.95, 'confidenceLevel');
  return { resamples, metric, method, confidenceLevel, seed: options.seed ?? 0 };
}

/** metric(a) − metric(b) over the points listed in `indices`. */
function differenceOf(
  metric: LossMetric,
  a: readonly number[],
  b: readonly number[],
  indices: ArrayLike<number>,
) {
  const pick = (losses: readonly number[]) => Array.from(indices, (i) => losses[i] ?? 0);
  const value = metric(pick(a)) - metric(pick(b));
  if (!Number.isFinite(value))
    throw new ConfigError(`metric must return finite numbers, got ${String(value)}`);
  return value;
}

/** Jackknife values: the difference with each point left out in turn. */
function jackknife(metric: 'mean' | LossMetric, a: readonly number[], b: readonly number[]): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  if (metric === 'mean') {
    // The mean difference without point i is (S − d_i)/(n − 1): O(n), not O(n²).
    let total = 0;
    for (let i = 0; i < n; i++) total += (a[i] ?? 0) - (b[i] ?? 0);
    for (let i = 0; i < n; i++) out[i] = (total - ((a[i] ?? 0) - (b[i] ?? 0))) / (n - 1);
    return out;
  }
  const keep = new Int32Array(n - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0, k = 0; j < n; j++) if (j !== i) keep[k++] = j;
    out[i] = differenceOf(metric, a, b, keep);
  }
  return out;
}

/** BCa's adjusted quantile levels (Efron & Tibshirani 1993, eq. 14.10; scipy.stats.bootstrap). */
function bcaLevels(estimate: number, sorted: Float64Array, jack: Float64Array, alpha: number) {
  // z0 from the share of replicates below the estimate, ties counted half (scipy's convention).
  let below = 0;
  let atOrBelow = 0;
  for (const v of sorted) {
    if (v < estimate) below++;
    if (v <= estimate) atOrBelow++;
  }
  const biasCorrection = normalQuantile((below + atOrBelow) / (2 * sorted.length), 0, 1);
  let jackMean = 0;
  for (const v of jack) jackMean += v / jack.length;
  let cubes = 0;
  let squares = 0;
  for (const v of jack) {
    cubes += (jackMean - v) ** 3;
    squares += (jackMean - v) ** 2;
  }
  // No spread among the jackknife values means no skew to correct for.
  const acceleration = squares > 0 ? cubes / (6 * squares ** 1.5) : 0;
  const level = (z: number) => {
    const shifted = biasCorrection + z;
    return normalCdf(biasCorrection + shifted / (1 - acceleration * shifted), 0, 1);
  };
  const zAlpha = normalQuantile(alpha, 0, 1);
  return { biasCorrection, acceleration, low: level(zAlpha), high: level(-zAlpha) };
}

/**
 * Paired bootstrap confidence interval for metric(a) − metric(b), where a and b are two runs'
 * losses on the same aligned points: each resample draws n point indices with replacement and uses
 * them for both runs, so the pairing (and the correlation it carries) is kept. Percentile interval:
 * type-7 quantiles of the differences at (1 − level)/2 and (1 + level)/2; BCa adjusts those levels
 * with z0 and the jackknife acceleration as scipy.stats.bootstrap does. Needs 2 pairs. When every
 * replicate is equal the interval is that value; BCa is null when z0 is infinite (the estimate lies
 * outside all replicates). Random draws come only from `new Rng(seed, 'paired-bootstrap')`.
 */
export function pairedBootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const { resamples, metric, method, confidenceLevel, seed } = validate(a, b, options);
  const n = a.length;
  // The mean difference is the mean of the differences: one pass, no copies. The estimate goes
  // through the same code as the replicates, so a replicate that equals it mathematically also
  // equals it in floating point (BCa's z0 counts replicates below and at the estimate).
  const replicateOf = (indices: ArrayLike<number>): number => {
    if (metric !== 'mean') return differenceOf(metric, a, b, indices);
    let sum = 0;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k] ?? 0;
      sum += (a[i] ?? 0) - (b[i] ?? 0);
    }
    return sum / indices.length;
  };
  const estimate = replicateOf(Int32Array.from({ length: n }, (_, i) => i));
  const rng = new Rng(seed, 'paired-bootstrap');
  const replicates = new Float64Array(resamples);
  const indices = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    replicates[r] = replicateOf(indices);
  }
  const sorted = replicates.slice().sort();
  let mean = 0;
  for (const v of sorted) mean += v / resamples;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const standardError = resamples > 1 ? Math.sqrt(squares / (resamples - 1)) : 0;
  const base = { estimate, method, confidenceLevel, resamples, seed, n, standardError } as const;
  const alpha = (1 - confidenceLevel) / 2;
  const first = sorted[0] ?? 0;
  if (method === 'percentile' || first === sorted[sorted.length - 1]) {
    // Equal replicates leave BCa's z0 and acceleration undefined, but the interval is that value.
    const lower = quantile(sorted, alpha);
    const upper = quantile(sorted, 1 - alpha);
    return { ...base, lower, upper, biasCorrection: null, acceleration: null, reason: null };
  }
  const { biasCorrection, acceleration, low, high } = bcaLevels(
    estimate,
    sorted,
    jackknife(metric, a, b),
    alpha,
  );
  if (!Number.isFinite(biasCorrection) || !(low >= 0 && high <= 1)) {
    const reason =
      'the estimate lies outside every bootstrap replicate, so BCa is undefined; use the percentile method';
    return { ...base, lower: null, upper: null, biasCorrection: null, acceleration, reason };
  }
  const lower = quantile(sorted, low);
  const upper = quantile(sorted, high);
  return { ...base, lower, upper, biasCorrection, acceleration, reason: null };
}
