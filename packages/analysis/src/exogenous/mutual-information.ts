import { ConfigError, Rng } from '@nflab/contracts';
import { requirePositiveInteger } from '../checks.js';
import { digamma } from './special.js';
import { isConstant, requireAlignedSeries } from './validate.js';

// Kraskov–Stögbauer–Grassberger estimator, algorithm 1, as scikit-learn's mutual_info_regression
// (_compute_mi_cc) computes it for two continuous variables:
//   I = ψ(n) + ψ(k) − mean ψ(n_x + 1) − mean ψ(n_y + 1),
// where ε_i is the Chebyshev distance from point i to its k-th nearest neighbour in the (x, y)
// plane and n_x (n_y) counts the other points with |x_j − x_i| < ε_i (|y_j − y_i| < ε_i); when
// ε_i = 0 (duplicated points) it counts exact ties, as sklearn's radius nextafter(ε, 0) does.
// Like sklearn, each variable is first divided by its standard deviation (ddof 0), and negative
// estimates are clipped to 0. sklearn also adds noise of 1e-10·max(1, mean|v|) to break ties; we add
// the same amount from a seeded `Rng`, so results are reproducible (lottery draws are integers, and
// KSG assumes continuous variables: without the noise, ties bias the estimate).

/** Options for {@link mutualInformation}. */
export interface MutualInformationOptions {
  /** k, the number of neighbours. @default 3 (sklearn's n_neighbors) */
  readonly neighbors?: number;
  /** Seed of the tie-breaking noise; null adds none (exact KSG on the scaled data). @default 0 */
  readonly noiseSeed?: number | null;
}

/** A KSG mutual-information estimate in nats. */
export interface MutualInformationResult {
  /** Estimated I(x; y) in nats, clipped at 0. */
  readonly value: number;
  readonly n: number;
  readonly neighbors: number;
  /** Set when the value is 0 by definition rather than estimated (a constant input). */
  readonly reason: string | null;
}

const NOISE_SCALE = 1e-10;

/** Divides by the population standard deviation (sklearn's scale(with_mean=False); a zero sd leaves values as they are). */
function scaleBySd(values: readonly number[]): number[] {
  const n = values.length;
  let mean = 0;
  for (const value of values) mean += value;
  mean /= n;
  let sumSquares = 0;
  for (const value of values) sumSquares += (value - mean) ** 2;
  const sd = Math.sqrt(sumSquares / n);
  return sd === 0 ? values.slice() : values.map((value) => value / sd);
}

/** Adds sklearn's tie-breaking noise 1e-10 · max(1, mean|v|) · N(0, 1). */
function addNoise(values: number[], rng: Rng): number[] {
  let meanAbs = 0;
  for (const value of values) meanAbs += Math.abs(value);
  const scale = NOISE_SCALE * Math.max(1, meanAbs / values.length);
  return values.map((value) => value + scale * rng.normal());
}

/** For each point, the Chebyshev distance to its k-th nearest other point (scan outward in x order). */
function kthNeighbourDistances(x: readonly number[], y: readonly number[], k: number): number[] {
  const n = x.length;
  const order = x.map((_, i) => i).sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0));
  const distances = new Array<number>(n).fill(0);
  const best: number[] = []; // the k smallest distances so far, ascending
  for (let position = 0; position < n; position++) {
    const i = order[position] ?? 0;
    const xi = x[i] ?? 0;
    const yi = y[i] ?? 0;
    best.length = 0;
    let left = position - 1;
    let right = position + 1;
    for (;;) {
      const leftGap = left >= 0 ? xi - (x[order[left] ?? 0] ?? 0) : Infinity;
      const rightGap = right < n ? (x[order[right] ?? 0] ?? 0) - xi : Infinity;
      const gap = Math.min(leftGap, rightGap);
      // Points further out in x are at least `gap` away in Chebyshev distance.
      if (gap === Infinity || (best.length === k && gap > (best[k - 1] ?? 0))) break;
      const j = leftGap <= rightGap ? (order[left--] ?? 0) : (order[right++] ?? 0);
      const distance = Math.max(Math.abs((x[j] ?? 0) - xi), Math.abs((y[j] ?? 0) - yi));
      if (best.length < k || distance < (best[k - 1] ?? 0)) {
        let at = best.length < k ? best.length : k - 1;
        while (at > 0 && (best[at - 1] ?? 0) > distance) {
          best[at] = best[at - 1] ?? 0;
          at--;
        }
        best[at] = distance;
      }
    }
    distances[i] = best[k - 1] ?? 0;
  }
  return distances;
}

/** Number of other points j with |v_j − v_i| < radius (or = 0 when radius is 0), by binary search in sorted order. */
function countWithin(sorted: readonly number[], value: number, radius: number): number {
  const inside = (other: number) => (radius > 0 ? Math.abs(other - value) < radius : other === value);
  // The predicate holds on one contiguous run of the sorted values that contains `value` itself.
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < value && !inside(sorted[mid] ?? 0)) low = mid + 1;
    else high = mid;
  }
  const start = low;
  high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) <= value || inside(sorted[mid] ?? 0)) low = mid + 1;
    else high = mid;
  }
  return low - start - 1;
}

/**
 * Mutual information I(x; y) in nats by the KSG estimator (algorithm 1) as sklearn's
 * mutual_info_regression computes it (see the note above). Needs n ≥ k + 1 points.
 */
export function mutualInformation(
  y: readonly number[],
  x: readonly number[],
  options: MutualInformationOptions = {},
): MutualInformationResult {
  const k = requirePositiveInteger(options.neighbors ?? 3, 'neighbors');
  requireAlignedSeries(y, x, k + 1, { y: 'y', x: 'x', what: `mutual information with ${k} neighbours` });
  const n = y.length;
  if (isConstant(y) || isConstant(x)) {
    return {
      value: 0,
      n,
      neighbors: k,
      reason: `${isConstant(y) ? 'y' : 'x'} is constant: it shares no information`,
    };
  }
  const noiseSeed = options.noiseSeed === undefined ? 0 : options.noiseSeed;
  if (noiseSeed !== null && !Number.isInteger(noiseSeed)) {
    throw new ConfigError(`noiseSeed must be an integer or null, got ${String(noiseSeed)}`);
  }
  let xs = scaleBySd(x);
  let ys = scaleBySd(y);
  if (noiseSeed !== null) {
    const rng = new Rng(noiseSeed, 'mutual-information');
    xs = addNoise(xs, rng);
    ys = addNoise(ys, rng);
  }
  const radii = kthNeighbourDistances(xs, ys, k);
  const xSorted = xs.slice().sort((a, b) => a - b);
  const ySorted = ys.slice().sort((a, b) => a - b);
  let meanDigammaX = 0;
  let meanDigammaY = 0;
  for (let i = 0; i < n; i++) {
    const radius = radii[i] ?? 0;
    meanDigammaX += digamma(countWithin(xSorted, xs[i] ?? 0, radius) + 1);
    meanDigammaY += digamma(countWithin(ySorted, ys[i] ?? 0, radius) + 1);
  }
  const value = digamma(n) + digamma(k) - meanDigammaX / n - meanDigammaY / n;
  return { value: Math.max(0, value), n, neighbors: k, reason: null };
}
