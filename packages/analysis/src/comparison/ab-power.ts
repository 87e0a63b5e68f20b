/**
 * A/B power analysis for paired forecast errors: how many points two models must both forecast
 * before a paired test can tell a given MAE difference from noise, and the power the points at hand
 * have. The paired difference is d = |e_A| − |e_B| with standard deviation σ_d, so an MAE
 * difference δ is mean(d) = δ; the two-sided paired t-test then needs
 * n = ((z_{1−α/2} + z_{power}) σ_d / δ)² + z_{1−α/2}² / 2 points — the normal approximation with
 * Guenther's correction for estimating σ_d, within one point of R's power.t.test(type = "paired").
 * @see https://doi.org/10.1080/00031305.1981.10479334 (Guenther 1981)
 */
import { ConfigError } from '@nflab/contracts';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** What {@link pairedPower} is asked. */
export interface PairedPowerOptions {
  /** Standard deviation of the paired differences of absolute errors (σ_d). */
  readonly sdDifference: number;
  /** The MAE difference to detect (its absolute value is used). */
  readonly maeDifference: number;
  /** Two-sided significance level. @default 0.05 */
  readonly alpha?: number;
  /** Wanted probability of detecting the difference. @default 0.8 */
  readonly power?: number;
  /** Points at hand, for the power they achieve. */
  readonly points?: number;
}

/** Outcome of {@link pairedPower}. */
export interface PairedPowerResult {
  readonly alpha: number;
  readonly power: number;
  readonly maeDifference: number;
  readonly sdDifference: number;
  /** Paired points needed for `power` at `alpha` (at least 2); null when σ_d or δ is 0. */
  readonly pointsNeeded: number | null;
  /** Power of a two-sided test with `points` pairs; null without `points` or with σ_d = 0. */
  readonly achievedPower: number | null;
}

const requireProbability = (value: number, name: string): number => {
  if (!(value > 0 && value < 1)) throw new ConfigError(`${name} must be in (0, 1), got ${value}`);
  return value;
};

const requireNonNegative = (value: number, name: string): number => {
  if (!(Number.isFinite(value) && value >= 0))
    throw new ConfigError(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
};

/** Points needed to detect an MAE difference with paired errors, and the power of the points at hand. */
export function pairedPower(options: PairedPowerOptions): PairedPowerResult {
  const alpha = requireProbability(options.alpha ?? 0.05, 'alpha');
  const power = requireProbability(options.power ?? 0.8, 'power');
  const sd = requireNonNegative(options.sdDifference, 'sdDifference');
  const delta = Math.abs(requireNonNegative(Math.abs(options.maeDifference), 'maeDifference'));
  const zAlpha = normalQuantile(1 - alpha / 2, 0, 1);
  const zPower = normalQuantile(power, 0, 1);
  const pointsNeeded =
    sd === 0 || delta === 0
      ? null
      : Math.max(2, Math.ceil(((zAlpha + zPower) * sd) ** 2 / delta ** 2 + zAlpha ** 2 / 2));
  let achievedPower: number | null = null;
  if (options.points !== undefined && sd > 0) {
    const shift = (delta / sd) * Math.sqrt(options.points);
    // Both tails: the difference may show up with either sign.
    achievedPower = normalCdf(shift - zAlpha, 0, 1) + normalCdf(-shift - zAlpha, 0, 1);
  }
  return { alpha, power, maeDifference: delta, sdDifference: sd, pointsNeeded, achievedPower };
}
