import { ConfigError } from '@nflab/contracts';
import { requirePositiveInteger } from '../checks.js';
import { countAtMost, requireSamples, sorted } from './samples.js';

/** Smallest fraction used inside logarithms, so an empty bin does not give an infinite PSI or KL. */
export const FRACTION_FLOOR = 1e-6;

/**
 * Wasserstein-1 (earth mover's) distance between the two empirical distributions, ∫ |F_ref − F_cur| dx,
 * as scipy.stats.wasserstein_distance without weights. In the units of the values.
 */
export function wassersteinDistance(reference: readonly number[], current: readonly number[]): number {
  requireSamples(reference, current);
  const first = sorted(reference);
  const second = sorted(current);
  const all = sorted([...reference, ...current]);
  let distance = 0;
  for (let i = 0; i + 1 < all.length; i++) {
    const value = all[i] ?? 0;
    const width = (all[i + 1] ?? 0) - value;
    if (width === 0) continue;
    distance +=
      Math.abs(countAtMost(first, value) / first.length - countAtMost(second, value) / second.length) * width;
  }
  return distance;
}

/** Options for {@link binnedDrift}. */
export interface BinnedDriftOptions {
  /** Number of bins, cut at the reference's quantiles i/bins. @default 10 (deciles) */
  readonly bins?: number;
}

/** Drift of binned fractions: PSI, KL and Jensen–Shannon over bins cut at the reference's quantiles. */
export interface BinnedDriftResult {
  /** Interior cut points q_1 … q_{bins−1}; bin i holds q_i ≤ v < q_{i+1} (q_0 = −∞, q_bins = +∞). */
  readonly edges: readonly number[];
  readonly referenceFractions: readonly number[];
  readonly currentFractions: readonly number[];
  /** Population stability index Σ (c − r)·ln(c/r), fractions floored at 1e-6. */
  readonly psi: number;
  /** KL(current ‖ reference) = Σ c·ln(c/r) in nats, fractions floored at 1e-6. */
  readonly klCurrentVsReference: number;
  /** √(JS divergence) in base 2 (in [0, 1]) on the unfloored fractions, as scipy's jensenshannon(c, r, base=2). */
  readonly jensenShannonDistance: number;
}

/** numpy.quantile(values, p) with its default 'linear' method (and numpy's two-sided lerp). */
export function linearQuantile(ascending: readonly number[], p: number): number {
  const position = p * (ascending.length - 1);
  const below = Math.floor(position);
  const a = ascending[below] ?? 0;
  const b = ascending[Math.min(below + 1, ascending.length - 1)] ?? a;
  const t = position - below;
  // numpy interpolates from the nearer end, so t = 1 lands exactly on b.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

function fractions(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  // Bin index = number of edges ≤ value (numpy.digitize / a histogram with edges [−∞, q…, +∞)).
  for (const value of values) {
    const bin = countAtMost(edges, value);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((count) => count / values.length);
}

/** Σ p·ln(p/q) with 0·ln 0 = 0. */
function relativeEntropy(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  p.forEach((pi, i) => {
    if (pi > 0) sum += pi * Math.log(pi / (q[i] ?? 0));
  });
  return sum;
}

/** PSI, KL(current ‖ reference) and Jensen–Shannon distance of two fraction vectors over the same bins. */
export interface FractionDrift {
  readonly psi: number;
  readonly klCurrentVsReference: number;
  readonly jensenShannonDistance: number;
}

/**
 * The divergences {@link binnedDrift} reports, for fractions already binned or counted by category:
 * PSI and KL on fractions floored at {@link FRACTION_FLOOR}, JS distance (base 2) on the unfloored ones.
 */
export function fractionDrift(
  referenceFractions: readonly number[],
  currentFractions: readonly number[],
): FractionDrift {
  const r = referenceFractions.map((f) => Math.max(f, FRACTION_FLOOR));
  const c = currentFractions.map((f) => Math.max(f, FRACTION_FLOOR));
  let psi = 0;
  c.forEach((ci, i) => {
    psi += (ci - (r[i] ?? 0)) * Math.log(ci / (r[i] ?? 1));
  });
  const middle = referenceFractions.map((ri, i) => (ri + (currentFractions[i] ?? 0)) / 2);
  const divergence =
    (relativeEntropy(currentFractions, middle) + relativeEntropy(referenceFractions, middle)) / 2 / Math.LN2;
  return {
    psi,
    klCurrentVsReference: relativeEntropy(c, r),
    jensenShannonDistance: Math.sqrt(Math.max(0, divergence)),
  };
}

/**
 * PSI, KL and Jensen–Shannon distance of `current` against `reference`, binned at the reference's
 * quantiles (deciles by default). Bins may be empty or repeat edges when the reference has ties.
 */
export function binnedDrift(
  reference: readonly number[],
  current: readonly number[],
  options: BinnedDriftOptions = {},
): BinnedDriftResult {
  requireSamples(reference, current);
  const bins = requirePositiveInteger(options.bins ?? 10, 'bins');
  if (bins < 2) throw new ConfigError(`bins must be at least 2, got ${bins}`);
  const ascending = sorted(reference);
  const edges = Array.from({ length: bins - 1 }, (_, i) => linearQuantile(ascending, (i + 1) / bins));
  const referenceFractions = fractions(reference, edges);
  const currentFractions = fractions(current, edges);
  return {
    edges,
    referenceFractions,
    currentFractions,
    ...fractionDrift(referenceFractions, currentFractions),
  };
}
