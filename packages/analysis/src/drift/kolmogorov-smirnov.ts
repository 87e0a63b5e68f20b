import { countAtMost, requireSamples, sorted } from './samples.js';

// scipy.stats.ks_2samp(reference, current) with its defaults (two-sided, method 'auto'): 'auto' is
// exact when max(n1, n2) ≤ 10000 — Hodges' lattice-path count in Viehmann's numerically stable 1 − p
// recursion (scipy's _compute_outer_prob_inside_method), or the closed form for n1 = n2 — and the
// statistic is then rounded to h / lcm(n1, n2), as scipy returns it. Larger samples use the limiting
// Kolmogorov distribution at √(n1·n2/(n1+n2))·D; scipy uses kstwo.sf(D, round(n1·n2/(n1+n2))) there,
// which differs by O(1/√n) — the price of not porting scipy's one-sample KS distribution.

/** Largest sample size with an exact p-value (scipy's MAX_AUTO_N). */
export const KS_EXACT_MAX_N = 10_000;

/** A two-sample Kolmogorov–Smirnov test. */
export interface KolmogorovSmirnovResult {
  /** D = max |F_reference − F_current| over all observed values. */
  readonly statistic: number;
  /** Two-sided p-value for H0: both samples come from the same continuous distribution. */
  readonly pValue: number;
  readonly method: 'exact' | 'asymptotic';
  /** The value where D is attained. */
  readonly location: number;
  /** +1 when F_reference > F_current there (current shifted up), −1 otherwise. */
  readonly sign: 1 | -1;
  readonly nReference: number;
  readonly nCurrent: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** P(D_{n,n} ≥ h/n) by the alternating sum in Horner form (scipy's _compute_prob_outside_square). */
function probabilityOutsideSquare(n: number, h: number): number {
  let probability = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    probability = term * (1 - probability);
  }
  return 2 * probability;
}

/** P(D ≥ h/lcm) for sizes m, n with gcd g: the share of lattice paths leaving |x/m − y/n| < h/lcm. */
function probabilityOutsideBand(mIn: number, nIn: number, g: number, h: number): number {
  const m = Math.max(mIn, nIn);
  const n = Math.min(mIn, nIn);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastMinj = minj;
    const lastLength = currentLength;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    // a[jj] holds 1 − (share of paths to (i, minj + jj) that stayed inside), Viehmann's recursion.
    let value = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      value = ((a[jj + minj - lastMinj] ?? 1) * i + value * j) / (i + j);
      a[jj] = value;
    }
    currentLength = maxj - minj;
    if (lastLength > currentLength) a.fill(1, maxj - minj, maxj - minj + (lastLength - currentLength));
  }
  return a[maxj - minj - 1] ?? 1;
}

/** Upper tail of the limiting Kolmogorov distribution, P(K > λ). */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1) {
    // P(K ≤ λ) = √(2π)/λ Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)) converges fast for small λ.
    let sum = 0;
    for (let k = 1; k <= 20; k++)
      sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda * lambda));
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Two-sample Kolmogorov–Smirnov test of `current` against `reference`, as scipy's ks_2samp (see the note above). */
export function ksTwoSample(
  reference: readonly number[],
  current: readonly number[],
): KolmogorovSmirnovResult {
  requireSamples(reference, current);
  const first = sorted(reference);
  const second = sorted(current);
  const n1 = first.length;
  const n2 = second.length;
  let maxDifference = -Infinity;
  let minDifference = Infinity;
  let maxAt = 0;
  let minAt = 0;
  // scipy evaluates both ECDFs at every value of data1 then data2 (each sorted) and takes the first extreme.
  for (const value of [...first, ...second]) {
    const difference = countAtMost(first, value) / n1 - countAtMost(second, value) / n2;
    if (difference > maxDifference) [maxDifference, maxAt] = [difference, value];
    if (difference < minDifference) [minDifference, minAt] = [difference, value];
  }
  const minStatistic = Math.min(1, Math.max(0, -minDifference));
  const useMin = minStatistic > maxDifference;
  let statistic = useMin ? minStatistic : maxDifference;
  const location = useMin ? minAt : maxAt;
  const sign = useMin ? -1 : 1;
  const base = { location, sign, nReference: n1, nCurrent: n2 } as const;
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(statistic * lcm);
    statistic = h / lcm;
    let pValue = 1;
    if (h > 0) pValue = n1 === n2 ? probabilityOutsideSquare(n1, h) : probabilityOutsideBand(n1, n2, g, h);
    return { statistic, pValue: Math.min(1, Math.max(0, pValue)), method: 'exact', ...base };
  }
  const effectiveN = (n1 * n2) / (n1 + n2);
  return {
    statistic,
    pValue: kolmogorovSurvival(Math.sqrt(effectiveN) * statistic),
    method: 'asymptotic',
    ...base,
  };
}
