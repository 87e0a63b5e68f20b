/**
 * Champion against challenger: two models' forecasts of the same recent draws, compared with the
 * paired tests of {@link compareRuns} (Diebold–Mariano on absolute errors, paired t, Wilcoxon,
 * a bootstrap interval of the MAE difference) and an A/B power analysis of those points: how many
 * points the comparison needs to detect a given MAE difference, and the power the points at hand
 * have.
 */
import { ConfigError } from '@nflab/contracts';
import { pairedPower, type PairedPowerResult } from '../comparison/ab-power.js';
import { meanAndVariance } from '../comparison/moments.js';
import { alignRuns, type PointKey, type RunPoints } from './align.js';
import { compareRuns, type RunComparison } from './compare-runs.js';

/** Options of {@link championChallenger}. */
export interface ChampionChallengerOptions {
  /** The most recent shared points compared (by date, then cutoff). @default 100 */
  readonly recent?: number;
  /** @default 0.05 */
  readonly alpha?: number;
  /** Wanted power of the A/B test. @default 0.8 */
  readonly power?: number;
  /** MAE difference the power analysis is for. @default the observed difference */
  readonly maeDifference?: number;
  /** Bootstrap resamples of the difference's interval. @default 2000 */
  readonly resamples?: number;
  /** @default 0 */
  readonly seed?: number;
}

/** Outcome of {@link championChallenger}. */
export interface ChampionChallengerResult {
  /** Points compared: shared by both, with known actuals, the most recent `recent`. */
  readonly points: number;
  /** First and last date compared. */
  readonly from: string;
  readonly to: string;
  /** MAE of each on those points. */
  readonly championMae: number;
  readonly challengerMae: number;
  /** The paired tests; `a` is the champion, so negative statistics favour it. */
  readonly comparison: RunComparison;
  readonly power: PairedPowerResult;
  /** One plain sentence on what the comparison shows. */
  readonly verdict: string;
}

/** The smallest comparison: the paired t-test and DM need a few points to estimate a variance. */
export const MIN_CHAMPION_CHALLENGER_POINTS = 3;

const keyOf = (p: PointKey): string => JSON.stringify([p.uniqueId, p.cutoff, p.ds]);

const byRecency = (a: PointKey, b: PointKey): number =>
  String(a.ds).localeCompare(String(b.ds), undefined, { numeric: true }) ||
  String(a.cutoff).localeCompare(String(b.cutoff), undefined, { numeric: true }) ||
  a.uniqueId.localeCompare(b.uniqueId);

const verdictOf = (result: Omit<ChampionChallengerResult, 'verdict'>): string => {
  const pair = result.comparison.pairs[0];
  const dm = pair?.dieboldMariano;
  const diff = result.challengerMae - result.championMae;
  const who = diff < 0 ? 'the challenger' : 'the champion';
  const head = `On the ${result.points} most recent shared points (${result.from} – ${result.to}) ${who} has the lower MAE (${result.championMae.toPrecision(4)} champion, ${result.challengerMae.toPrecision(4)} challenger)`;
  const test =
    dm === null || dm === undefined
      ? 'the Diebold–Mariano test cannot be computed on these points'
      : dm.better === 'neither'
        ? `the difference is not significant (Diebold–Mariano p = ${dm.pValue.toPrecision(3)}, α = ${result.comparison.alpha})`
        : `the difference is significant (Diebold–Mariano p = ${dm.pValue.toPrecision(3)}, α = ${result.comparison.alpha}): ${dm.better === 'model' ? 'the champion' : 'the challenger'} is better`;
  const { pointsNeeded, maeDifference, power } = result.power;
  const need =
    pointsNeeded === null
      ? 'the errors do not vary, so no sample size follows'
      : `detecting an MAE difference of ${maeDifference.toPrecision(3)} with power ${power} needs about ${pointsNeeded} points`;
  return `${head}; ${test}; ${need}.`;
};

/** Compares the champion's and the challenger's forecasts of the same recent points. */
export function championChallenger(
  champion: RunPoints,
  challenger: RunPoints,
  options: ChampionChallengerOptions = {},
): ChampionChallengerResult {
  const recent = options.recent ?? 100;
  if (!(Number.isInteger(recent) && recent >= MIN_CHAMPION_CHALLENGER_POINTS))
    throw new ConfigError(`recent must be an integer ≥ ${MIN_CHAMPION_CHALLENGER_POINTS}, got ${recent}`);
  const aligned = alignRuns([champion, challenger]);
  const chosen = aligned.keys
    .map((key, index) => ({ key, index }))
    .sort((a, b) => byRecency(a.key, b.key))
    .slice(-recent);
  if (chosen.length < MIN_CHAMPION_CHALLENGER_POINTS)
    throw new ConfigError(
      `the champion and the challenger share ${chosen.length} forecast point(s) with known actuals; a paired comparison needs at least ${MIN_CHAMPION_CHALLENGER_POINTS}`,
    );
  const keep = new Set(chosen.map(({ key }) => keyOf(key)));
  const only = (run: RunPoints): RunPoints => ({
    ...run,
    points: run.points.filter((p) => keep.has(keyOf(p))),
  });
  const comparison = compareRuns([only(champion), only(challenger)], {
    loss: 'absolute',
    alpha: options.alpha,
    resamples: options.resamples,
    seed: options.seed,
  });
  const abs = (run: 0 | 1) => chosen.map(({ index }) => Math.abs(aligned.errors[run]?.[index] ?? 0));
  const [a, b] = [abs(0), abs(1)];
  const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const { variance } = meanAndVariance(a.map((value, i) => value - (b[i] ?? 0)));
  const championMae = mean(a);
  const challengerMae = mean(b);
  const power = pairedPower({
    sdDifference: Math.sqrt(Math.max(0, variance)),
    maeDifference: options.maeDifference ?? Math.abs(championMae - challengerMae),
    alpha: comparison.alpha,
    power: options.power,
    points: chosen.length,
  });
  const result = {
    points: chosen.length,
    from: String(chosen[0]?.key.ds),
    to: String(chosen.at(-1)?.key.ds),
    championMae,
    challengerMae,
    comparison,
    power,
  };
  return { ...result, verdict: verdictOf(result) };
}
