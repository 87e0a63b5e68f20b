/**
 * Statistical comparison of runs on the forecast points they share. Two runs: Diebold–Mariano
 * (HLN), paired t and Wilcoxon signed-rank on their per-point losses, effect sizes and a paired
 * bootstrap interval for the difference of mean loss. k ≥ 3 runs: Friedman over the points with
 * Nemenyi and Conover post-hoc tests and the critical-difference diagram, one-way ANOVA and
 * Kruskal–Wallis on per-series mean losses, and every run against the best one with the two-run
 * tests, corrected for the k − 1 comparisons.
 */
import { ConfigError } from '@nflab/contracts';
import { pairedBootstrapDifference, type PairedBootstrapResult } from '../comparison/bootstrap.js';
import { conoverFriedmanTest, type ConoverFriedmanResult } from '../comparison/conover-friedman.js';
import {
  criticalDifferenceDiagram,
  type CriticalDifferenceDiagram,
} from '../comparison/critical-difference.js';
import { effectSizes, type EffectSizes } from '../comparison/effect-sizes.js';
import { friedmanTest, type FriedmanResult } from '../comparison/friedman.js';
import { kruskalWallis, type KruskalWallisResult } from '../comparison/kruskal-wallis.js';
import { nemenyiTest, type NemenyiResult } from '../comparison/nemenyi.js';
import { oneWayAnova, type OneWayAnovaResult } from '../comparison/one-way-anova.js';
import { adjustPValues, type PAdjustMethod } from '../comparison/p-adjust.js';
import { pairedTTest, type PairedTTestResult } from '../comparison/paired-t-test.js';
import { wilcoxonSignedRank, type WilcoxonResult } from '../comparison/wilcoxon.js';
import { dieboldMariano, type DieboldMarianoLoss, type DieboldMarianoResult } from '../diebold-mariano.js';
import { alignRuns, type AlignedRuns, type DroppedPoints, type RunPoints } from './align.js';

/** Options of {@link compareRuns}. */
export interface CompareRunsOptions {
  /** Per-point loss: |e| (MAE's) or e² (MSE's). @default 'absolute' */
  readonly loss?: DieboldMarianoLoss;
  /** Correction of the pairwise p-values. @default 'holm' */
  readonly correction?: PAdjustMethod;
  /** @default 0.05 */
  readonly alpha?: number;
  /** Bootstrap resamples of each pairwise interval. @default 2000 */
  readonly resamples?: number;
  /** Seed of the bootstrap. @default 0 */
  readonly seed?: number;
}

/** The most runs one comparison takes: k − 1 pairwise tests and a k-column rank matrix stay cheap. */
export const MAX_COMPARED_RUNS = 200;

/** A run's summary in the comparison. */
export interface ComparedRun {
  readonly runId: string;
  readonly label: string;
  /** Mean loss over the shared points (MAE for 'absolute', MSE for 'squared'). */
  readonly meanLoss: number;
  /** Mean rank over the shared points (1 = lowest loss); null for two runs. */
  readonly meanRank: number | null;
}

/** Run `a` against run `b` on the shared points (negative statistics and differences: `a` is better). */
export interface PairComparison {
  readonly a: string;
  readonly b: string;
  readonly dieboldMariano: DieboldMarianoResult | null;
  readonly tTest: PairedTTestResult;
  readonly wilcoxon: WilcoxonResult;
  readonly effectSizes: EffectSizes;
  /** meanLoss(a) − meanLoss(b) with its paired bootstrap interval. */
  readonly difference: PairedBootstrapResult;
  /** The three p-values corrected over every pair of the comparison. */
  readonly adjusted: {
    readonly dieboldMariano: number | null;
    readonly tTest: number | null;
    readonly wilcoxon: number | null;
  };
}

/** Tests over all k ≥ 3 runs at once. */
export interface ManyRunTests {
  readonly friedman: FriedmanResult;
  readonly nemenyi: NemenyiResult;
  readonly conover: ConoverFriedmanResult;
  readonly criticalDifference: CriticalDifferenceDiagram;
  /** Groups = runs, values = each series' mean loss; null with the reason when a group has too few series. */
  readonly anova: OneWayAnovaResult | { readonly reason: string };
  readonly kruskalWallis: KruskalWallisResult | { readonly reason: string };
}

/** The whole comparison. */
export interface RunComparison {
  readonly loss: DieboldMarianoLoss;
  readonly correction: PAdjustMethod;
  readonly alpha: number;
  /** Points every run forecast with a known actual. */
  readonly points: number;
  readonly series: number;
  /** Horizon of the Diebold–Mariano tests: the most shared points of one (series, cutoff) window. */
  readonly h: number;
  readonly dropped: readonly DroppedPoints[];
  readonly runs: readonly ComparedRun[];
  /** Run id of the lowest mean loss. */
  readonly best: string;
  /** Two runs: the one pair; k ≥ 3: every other run against the best. */
  readonly pairs: readonly PairComparison[];
  readonly many: ManyRunTests | null;
}

const lossOf = (loss: DieboldMarianoLoss) => (error: number) =>
  loss === 'absolute' ? Math.abs(error) : error * error;

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/** The largest number of shared points in one (series, cutoff) window. */
const windowHorizon = (aligned: AlignedRuns): number => {
  const counts = new Map<string, number>();
  for (const key of aligned.keys) {
    const id = JSON.stringify([key.uniqueId, key.cutoff]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return Math.max(...counts.values());
};

/** Compares the runs; see the module comment. ConfigErrors name what is wrong with the selection. */
export function compareRuns(runs: readonly RunPoints[], options: CompareRunsOptions = {}): RunComparison {
  if (runs.length > MAX_COMPARED_RUNS) {
    throw new ConfigError(
      `a comparison takes at most ${MAX_COMPARED_RUNS} runs, got ${runs.length}; select fewer`,
    );
  }
  const loss = options.loss ?? 'absolute';
  const correction = options.correction ?? 'holm';
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ConfigError(`alpha must be in (0, 1), got ${String(alpha)}`);
  const aligned = alignRuns(runs);
  if (aligned.keys.length < 2) {
    throw new ConfigError(
      `the runs share ${aligned.keys.length} forecast point with a known actual; a comparison needs at least 2`,
    );
  }
  const losses = aligned.errors.map((errors) => errors.map(lossOf(loss)));
  const meanLosses = losses.map(mean);
  const bestIndex = meanLosses.indexOf(Math.min(...meanLosses));
  const h = windowHorizon(aligned);
  const k = runs.length;
  const matrix = aligned.keys.map((_, i) => losses.map((column) => column[i] as number)); // points × runs
  const many = k >= 3 ? manyRunTests(aligned, matrix, losses, { alpha, correction }) : null;
  const partners =
    k === 2
      ? [[0, 1] as const]
      : losses.flatMap((_, j) => (j === bestIndex ? [] : [[j, bestIndex] as const]));
  const raw = partners.map(([a, b]) => comparePair(aligned, losses, { a, b, h, loss, options }));
  const adjust = (pick: (pair: Omit<PairComparison, 'adjusted'>) => number | null): (number | null)[] => {
    const pValues = raw.map(pick);
    const adjusted = adjustPValues(
      pValues.map((p) => p ?? 1),
      correction,
    );
    return pValues.map((p, i) => (p === null ? null : (adjusted[i] as number)));
  };
  const dm = adjust((pair) => pair.dieboldMariano?.pValue ?? null);
  const t = adjust((pair) => pair.tTest.pValue);
  const w = adjust((pair) => pair.wilcoxon.pValue);
  return {
    loss,
    correction,
    alpha,
    points: aligned.keys.length,
    series: new Set(aligned.keys.map((key) => key.uniqueId)).size,
    h,
    dropped: aligned.dropped,
    runs: aligned.runs.map((run, j) => ({
      ...run,
      meanLoss: meanLosses[j] as number,
      meanRank: many ? (many.friedman.meanRanks[j] ?? null) : null,
    })),
    best: aligned.runs[bestIndex]?.runId as string,
    pairs: raw.map((pair, i) => ({
      ...pair,
      adjusted: { dieboldMariano: dm[i] ?? null, tTest: t[i] ?? null, wilcoxon: w[i] ?? null },
    })),
    many,
  };
}

/** The two-run tests of runs a and b. */
function comparePair(
  aligned: AlignedRuns,
  losses: readonly (readonly number[])[],
  pair: { a: number; b: number; h: number; loss: DieboldMarianoLoss; options: CompareRunsOptions },
): Omit<PairComparison, 'adjusted'> {
  const x = losses[pair.a] as number[];
  const y = losses[pair.b] as number[];
  return {
    a: aligned.runs[pair.a]?.runId as string,
    b: aligned.runs[pair.b]?.runId as string,
    dieboldMariano: dieboldMariano(aligned.errors[pair.a] as number[], aligned.errors[pair.b] as number[], {
      h: pair.h,
      loss: pair.loss,
    }),
    tTest: pairedTTest(x, y),
    wilcoxon: wilcoxonSignedRank(x, y),
    effectSizes: effectSizes(x, y),
    difference: pairedBootstrapDifference(x, y, {
      resamples: pair.options.resamples ?? 2000,
      seed: pair.options.seed ?? 0,
    }),
  };
}

/** Friedman family over the points, ANOVA and Kruskal–Wallis over per-series mean losses. */
function manyRunTests(
  aligned: AlignedRuns,
  matrix: readonly (readonly number[])[],
  losses: readonly (readonly number[])[],
  { alpha, correction }: { readonly alpha: number; readonly correction: PAdjustMethod },
): ManyRunTests {
  const labels = aligned.runs.map((run) => run.label);
  const seriesIds = [...new Set(aligned.keys.map((key) => key.uniqueId))];
  // groups[run] = that run's mean loss on each series
  const groups = losses.map((column) =>
    seriesIds.map((id) => mean(column.filter((_, i) => aligned.keys[i]?.uniqueId === id))),
  );
  const perSeries = <T>(test: () => T): T | { reason: string } =>
    seriesIds.length < 2
      ? { reason: `the runs share ${seriesIds.length} series; per-series tests need at least 2` }
      : test();
  return {
    friedman: friedmanTest(matrix),
    nemenyi: nemenyiTest(matrix, { alpha }),
    conover: conoverFriedmanTest(matrix, { adjust: correction }),
    criticalDifference: criticalDifferenceDiagram(matrix, { labels, alpha }),
    anova: perSeries(() => oneWayAnova(groups)),
    kruskalWallis: perSeries(() => kruskalWallis(groups)),
  };
}
