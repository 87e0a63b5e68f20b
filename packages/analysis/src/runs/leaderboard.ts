/**
 * A sweep's leaderboard: runs ranked by a metric with the naive baselines in the same table, and
 * each run's evidence of beating its best baseline corrected for how many configurations were
 * tried. With 48 configurations one of them beats chance at p < 0.05 by luck alone about 91 % of the
 * time; the corrected verdict is what says whether a model forecasts the draws.
 */
import { ConfigError } from '@nflab/contracts';
import { BASELINE_IDS, type BaselineId } from '../baselines.js';
import { adjustPValues, type PAdjustMethod } from '../comparison/p-adjust.js';
import { METRIC_IDS, type MetricId } from '../metrics.js';

/** The part of a run's stored `metrics` the leaderboard reads (one evaluated set: test or cv). */
interface EvaluatedSet {
  readonly overall?: Partial<Record<MetricId, number | null>>;
  readonly baselines?: Partial<Record<BaselineId, Partial<Record<MetricId, number | null>>>>;
  readonly significance?: Partial<Record<BaselineId, { statistic: number; pValue: number } | null>>;
  readonly points?: number;
}

/** A run as the leaderboard takes it. */
export interface LeaderboardRun {
  readonly runId: string;
  readonly label: string;
  /** Run status; only finished runs are ranked, but every run counts as a configuration tried. */
  readonly status: string;
  /** The run's stored metrics JSON (unknown shape: read defensively). */
  readonly metrics: unknown;
}

/** Options of {@link leaderboard}. */
export interface LeaderboardOptions {
  /** Ranking metric. @default 'mae' */
  readonly metric?: MetricId;
  /** Correction for the number of configurations. @default 'holm' */
  readonly correction?: PAdjustMethod;
  /** @default 0.05 */
  readonly alpha?: number;
}

/** A ranked run. */
export interface LeaderboardRunRow {
  readonly kind: 'run';
  readonly runId: string;
  readonly label: string;
  readonly rank: number;
  readonly value: number;
  /** Which evaluation the figures come from. */
  readonly source: 'test' | 'cv';
  readonly points: number | null;
  /** The baseline with the lowest metric on this run's points. */
  readonly bestBaseline: BaselineId | null;
  readonly bestBaselineValue: number | null;
  /**
   * One-sided p-value of "this run's loss is lower than the best baseline's", from the two-sided
   * Diebold–Mariano test stored with the run (on absolute errors, whatever metric ranks); null when
   * the test could not be computed.
   */
  readonly pValue: number | null;
  /** pValue corrected over every configuration tried (a run without a test counts as p = 1). */
  readonly adjustedPValue: number | null;
  readonly beatsChance: boolean;
}

/** A baseline in the same table, on the best run's points. */
export interface LeaderboardBaselineRow {
  readonly kind: 'baseline';
  readonly baseline: BaselineId;
  readonly rank: number;
  readonly value: number;
}

/** The leaderboard of a set of runs. */
export interface Leaderboard {
  readonly metric: MetricId;
  readonly correction: PAdjustMethod;
  readonly alpha: number;
  /** Every run, whatever its status: the number of configurations the correction accounts for. */
  readonly configurations: number;
  /** Finished runs with an evaluation on known actuals (the ranked ones). */
  readonly ranked: number;
  /** Runs and baselines by metric, best first. */
  readonly rows: (LeaderboardRunRow | LeaderboardBaselineRow)[];
  /** Runs not ranked, with the reason. */
  readonly unranked: { readonly runId: string; readonly label: string; readonly reason: string }[];
  readonly verdict: {
    /** True when at least one run beats its best baseline after the correction. */
    readonly beatsChance: boolean;
    readonly text: string;
  };
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** The test part when the run has one, else cross-validation: what its summary reports too. */
const evaluatedSet = (metrics: unknown): { set: EvaluatedSet; source: 'test' | 'cv' } | undefined => {
  const record = asRecord(metrics);
  for (const source of ['test', 'cv'] as const) {
    const set = asRecord(record?.[source]);
    if (set !== undefined) return { set: set as EvaluatedSet, source };
  }
  return undefined;
};

const finite = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * One-sided p of "model better" from a two-sided test whose statistic is negative when the model's
 * loss is lower: p/2 on that side, 1 − p/2 on the other.
 */
const oneSided = (test: { statistic: number; pValue: number } | null | undefined): number | null => {
  if (!test || !Number.isFinite(test.statistic) || !Number.isFinite(test.pValue)) return null;
  return test.statistic < 0 ? test.pValue / 2 : 1 - test.pValue / 2;
};

interface Scored {
  readonly run: LeaderboardRun;
  readonly set: EvaluatedSet;
  readonly source: 'test' | 'cv';
  readonly value: number;
}

/** Ranks the runs; see the module comment. Throws a ConfigError for an unknown metric or no runs. */
export function leaderboard(runs: readonly LeaderboardRun[], options: LeaderboardOptions = {}): Leaderboard {
  const metric = options.metric ?? 'mae';
  if (!METRIC_IDS.includes(metric)) {
    throw new ConfigError(`metric must be one of ${METRIC_IDS.join(', ')}, got ${String(metric)}`);
  }
  const correction = options.correction ?? 'holm';
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ConfigError(`alpha must be in (0, 1), got ${String(alpha)}`);
  if (runs.length === 0) throw new ConfigError('a leaderboard needs at least one run');

  const scored: Scored[] = [];
  const unranked: Leaderboard['unranked'] = [];
  for (const run of runs) {
    const evaluated = run.status === 'finished' ? evaluatedSet(run.metrics) : undefined;
    const value = finite(evaluated?.set.overall?.[metric]);
    if (evaluated === undefined || value === null) {
      const reason =
        run.status !== 'finished'
          ? `run ${run.status}`
          : `no ${metric} on a test part or cross-validation with known actuals`;
      unranked.push({ runId: run.runId, label: run.label, reason });
    } else scored.push({ run, ...evaluated, value });
  }
  scored.sort((a, b) => a.value - b.value);

  const best = scored.map(({ set }) => bestBaseline(set, metric));
  const pValues = scored.map(({ set }, i) => {
    const id = best[i]?.id;
    return id === undefined ? null : oneSided(set.significance?.[id]);
  });
  // Every configuration tried is one hypothesis; one that produced no test counts as p = 1.
  const padded = [...pValues.map((p) => p ?? 1), ...unranked.map(() => 1)];
  const adjusted = adjustPValues(padded, correction);

  const runRows: LeaderboardRunRow[] = scored.map(({ run, set, source, value }, i) => {
    const adjustedPValue = pValues[i] === null ? null : (adjusted[i] as number);
    const bestValue = best[i]?.value ?? null;
    return {
      kind: 'run',
      runId: run.runId,
      label: run.label,
      rank: 0,
      value,
      source,
      points: finite(set.points),
      bestBaseline: best[i]?.id ?? null,
      bestBaselineValue: bestValue,
      pValue: pValues[i] ?? null,
      adjustedPValue,
      beatsChance:
        adjustedPValue !== null && adjustedPValue < alpha && bestValue !== null && value < bestValue,
    };
  });
  const baselineRows: LeaderboardBaselineRow[] = scored[0]
    ? BASELINE_IDS.flatMap((baseline) => {
        const value = finite(scored[0]?.set.baselines?.[baseline]?.[metric]);
        return value === null ? [] : [{ kind: 'baseline' as const, baseline, rank: 0, value }];
      })
    : [];
  const rows = [...runRows, ...baselineRows]
    .sort((a, b) => a.value - b.value)
    .map((row, i) => ({ ...row, rank: i + 1 }));
  const winners = runRows.filter((row) => row.beatsChance).length;
  const configurations = runs.length;
  const tried = `${configurations} configuration${configurations === 1 ? '' : 's'}`;
  const text =
    scored.length === 0
      ? `no run of the ${tried} has an evaluation to rank`
      : winners > 0
        ? `beats chance after correcting for ${tried}: yes — ${winners} run${winners === 1 ? '' : 's'} beat${winners === 1 ? 's' : ''} the best naive baseline at ${correction}-adjusted p < ${alpha}`
        : `beats chance after correcting for ${tried}: no — no run beats the best naive baseline at ${correction}-adjusted p < ${alpha}`;
  return {
    metric,
    correction,
    alpha,
    configurations,
    ranked: scored.length,
    rows,
    unranked,
    verdict: { beatsChance: winners > 0, text },
  };
}

/** The baseline with the lowest metric on a run's points. */
function bestBaseline(set: EvaluatedSet, metric: MetricId): { id: BaselineId; value: number } | undefined {
  let best: { id: BaselineId; value: number } | undefined;
  for (const id of BASELINE_IDS) {
    const value = finite(set.baselines?.[id]?.[metric]);
    if (value !== null && (best === undefined || value < best.value)) best = { id, value };
  }
  return best;
}
