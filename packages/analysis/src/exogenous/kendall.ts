import type { CorrelationResult } from './correlation.js';
import { normalTwoSidedPValue } from './special.js';
import { MIN_CORRELATION_POINTS, constantReason, requireAlignedSeries } from './validate.js';

// scipy.stats.kendalltau (scipy 1.17) with its defaults: variant 'b', method 'auto'. 'auto' uses the
// exact null distribution when there are no ties and either n ≤ 33 or min(discordant, concordant) ≤ 1;
// otherwise the normal approximation of S = concordant − discordant with the tie-corrected variance.

/** Above this n the exact distribution is used only for min(discordant, concordant) ≤ 1 (scipy's rule). */
const EXACT_MAX_N = 33;

/** Σ t(t−1)/2, Σ t(t−1)(t−2) and Σ t(t−1)(2t+5) over the tie groups (sizes t) of `values`. */
function tieStatistics(values: readonly number[]): { pairs: number; v0: number; v1: number } {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let pairs = 0;
  let v0 = 0;
  let v1 = 0;
  for (const t of counts.values()) {
    if (t < 2) continue;
    pairs += (t * (t - 1)) / 2;
    v0 += t * (t - 1) * (t - 2);
    v1 += t * (t - 1) * (2 * t + 5);
  }
  return { pairs, v0, v1 };
}

/** n! as a double (n < 171), as scipy divides by math.factorial(n). */
function factorial(n: number): number {
  let result = 1;
  for (let i = 2; i <= n; i++) result *= i;
  return result;
}

/**
 * Two-sided exact p-value of Kendall's tau without ties, from n and c = min(concordant, discordant)
 * (scipy.stats._mstats_basic._kendall_p_exact: Kendall's recurrence for the number of permutations
 * with at most c inversions).
 */
export function kendallExactPValue(n: number, concordant: number): number {
  const total = (n * (n - 1)) / 2;
  const c = Math.min(concordant, total - concordant);
  if (n <= 2) return 1;
  if (c === 0) return n < 171 ? 2 / factorial(n) : 0;
  if (c === 1) return n < 172 ? 2 / factorial(n - 1) : 0;
  if (4 * c === n * (n - 1)) return 1;
  // counts[i] = number of permutations of j elements with exactly i inversions, for i ≤ c.
  let counts = new Array<number>(c + 1).fill(0);
  counts[0] = 1;
  counts[1] = 1;
  for (let j = 3; j <= n; j++) {
    const cumulative = new Array<number>(c + 1);
    let running = 0;
    for (let i = 0; i <= c; i++) {
      running += counts[i] ?? 0;
      cumulative[i] = running;
    }
    if (j <= c) {
      const shifted = cumulative.slice();
      for (let i = j; i <= c; i++) shifted[i] = (cumulative[i] ?? 0) - (cumulative[i - j] ?? 0);
      counts = shifted;
    } else {
      counts = cumulative;
    }
  }
  let sum = 0;
  for (const count of counts) sum += count;
  return Math.min(1, Math.max(0, (2 * sum) / factorial(n)));
}

/**
 * Discordant pairs (i, j) with (x_i − x_j)(y_i − y_j) < 0, by Knight's algorithm: sort by x then y,
 * and count the inversions of y with a merge sort (equal y is not an inversion). O(n log n).
 */
export function countDiscordantPairs(y: readonly number[], x: readonly number[]): number {
  const order = x.map((_, i) => i).sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0) || (y[a] ?? 0) - (y[b] ?? 0));
  let values = order.map((i) => y[i] ?? 0);
  let buffer = new Array<number>(values.length);
  let inversions = 0;
  for (let width = 1; width < values.length; width *= 2) {
    for (let start = 0; start < values.length; start += 2 * width) {
      const middle = Math.min(start + width, values.length);
      const end = Math.min(start + 2 * width, values.length);
      let left = start;
      let right = middle;
      let out = start;
      while (left < middle && right < end) {
        if ((values[right] ?? 0) < (values[left] ?? 0)) {
          inversions += middle - left; // every remaining left value is larger than this right value
          buffer[out++] = values[right++] ?? 0;
        } else {
          buffer[out++] = values[left++] ?? 0;
        }
      }
      while (left < middle) buffer[out++] = values[left++] ?? 0;
      while (right < end) buffer[out++] = values[right++] ?? 0;
    }
    [values, buffer] = [buffer, values];
  }
  return inversions;
}

/** Pairs tied in both x and y. */
function jointTiePairs(y: readonly number[], x: readonly number[]): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < y.length; i++) {
    const key = `${x[i] ?? 0},${y[i] ?? 0}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let pairs = 0;
  for (const t of counts.values()) pairs += (t * (t - 1)) / 2;
  return pairs;
}

/**
 * Kendall's tau-b with scipy.stats.kendalltau's default p-value (see the note above): exact for small
 * samples without ties, else normal. O(n log n). Needs n ≥ 3; null when an input is constant.
 */
export function kendallTauB(y: readonly number[], x: readonly number[]): CorrelationResult {
  requireAlignedSeries(y, x, MIN_CORRELATION_POINTS, { y: 'y', x: 'x', what: "Kendall's tau" });
  const n = y.length;
  const reason = constantReason(y, x);
  if (reason !== null) {
    return { method: 'kendall_tau_b', n, coefficient: null, pValue: null, pValueMethod: 'normal', reason };
  }
  const total = (n * (n - 1)) / 2;
  const yTies = tieStatistics(y);
  const xTies = tieStatistics(x);
  const discordant = countDiscordantPairs(y, x);
  // total = concordant + discordant + (x-only ties) + (y-only ties) + joint ties, so S = concordant − discordant is:
  const difference = total - xTies.pairs - yTies.pairs + jointTiePairs(y, x) - 2 * discordant;
  const tau = Math.max(
    -1,
    Math.min(1, difference / Math.sqrt(total - xTies.pairs) / Math.sqrt(total - yTies.pairs)),
  );
  const noTies = xTies.pairs === 0 && yTies.pairs === 0;
  if (noTies && (n <= EXACT_MAX_N || Math.min(discordant, total - discordant) <= 1)) {
    const pValue = kendallExactPValue(n, total - discordant);
    return { method: 'kendall_tau_b', n, coefficient: tau, pValue, pValueMethod: 'exact', reason: null };
  }
  const m = n * (n - 1);
  const variance =
    (m * (2 * n + 5) - xTies.v1 - yTies.v1) / 18 +
    (2 * xTies.pairs * yTies.pairs) / m +
    (xTies.v0 * yTies.v0) / (9 * m * (n - 2));
  const pValue = normalTwoSidedPValue(difference / Math.sqrt(variance));
  return { method: 'kendall_tau_b', n, coefficient: tau, pValue, pValueMethod: 'normal', reason: null };
}
