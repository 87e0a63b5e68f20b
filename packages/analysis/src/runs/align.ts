/**
 * Aligns the forecast points of several runs on (unique_id, ds, cutoff), so their errors can be
 * paired: a test of "run A beats run B" is only fair on the points both forecast. Points not shared
 * by every run are dropped and counted, so the comparison says how much of each run it left out.
 */
import { ConfigError } from '@nflab/contracts';

/** One forecast point of a run: the actual `y` (null when unknown) and the point forecast. */
export interface RunPoint {
  readonly uniqueId: string;
  readonly ds: string | number;
  readonly cutoff: string | number;
  readonly y: number | null;
  readonly yhat: number;
}

/** A run's points, as loaded from its cross-validation (or test-part) results. */
export interface RunPoints {
  readonly runId: string;
  /** Display name (model and short id). */
  readonly label: string;
  readonly points: readonly RunPoint[];
}

/** Where a shared point sits. */
export interface PointKey {
  readonly uniqueId: string;
  readonly ds: string | number;
  readonly cutoff: string | number;
}

/** Why points of a run were left out. */
export interface DroppedPoints {
  readonly runId: string;
  /** Points other runs do not have (different series, windows or horizons). */
  readonly notShared: number;
  /** Points without a finite actual or forecast. */
  readonly missingValues: number;
}

/** Errors of every run on the points all of them share, in one point order. */
export interface AlignedRuns {
  readonly runs: readonly { readonly runId: string; readonly label: string }[];
  /** Shared points, ordered by series, cutoff, then ds. */
  readonly keys: readonly PointKey[];
  /** Actuals of the shared points. */
  readonly y: readonly number[];
  /** errors[r][i] = y_i − ŷ of run r at point i. */
  readonly errors: readonly (readonly number[])[];
  readonly dropped: readonly DroppedPoints[];
}

/** The fewest runs a comparison takes. */
export const MIN_RUNS = 2;

const keyOf = (p: PointKey): string => JSON.stringify([p.uniqueId, p.cutoff, p.ds]);

const compareKeys = (a: PointKey, b: PointKey): number =>
  a.uniqueId.localeCompare(b.uniqueId) ||
  String(a.cutoff).localeCompare(String(b.cutoff), undefined, { numeric: true }) ||
  String(a.ds).localeCompare(String(b.ds), undefined, { numeric: true });

/**
 * Pairs the runs' points. Throws a ConfigError for fewer than {@link MIN_RUNS} runs, a run listed
 * twice, a run with two forecasts for one point, runs that disagree on a point's actual (they were
 * evaluated on different data), or no point shared by all runs.
 */
export function alignRuns(runs: readonly RunPoints[]): AlignedRuns {
  if (runs.length < MIN_RUNS) {
    throw new ConfigError(`a comparison needs at least ${MIN_RUNS} runs, got ${runs.length}`);
  }
  const seen = new Set<string>();
  const byRun = runs.map((run) => {
    if (seen.has(run.runId)) throw new ConfigError(`run ${run.runId} is listed twice; list each run once`);
    seen.add(run.runId);
    const usable = new Map<string, RunPoint>();
    let missingValues = 0;
    for (const point of run.points) {
      const key = keyOf(point);
      if (usable.has(key)) {
        throw new ConfigError(
          `run ${run.runId} has two forecasts for series '${point.uniqueId}' at ${String(point.ds)} (cutoff ${String(point.cutoff)}); compare runs with one point forecast per point`,
        );
      }
      if (point.y === null || !Number.isFinite(point.y) || !Number.isFinite(point.yhat)) missingValues += 1;
      else usable.set(key, point);
    }
    return { run, usable, missingValues };
  });
  const [first, ...rest] = byRun;
  const shared = [...(first?.usable.values() ?? [])]
    .filter((point) => rest.every(({ usable }) => usable.has(keyOf(point))))
    .sort(compareKeys);
  if (shared.length === 0) {
    throw new ConfigError(
      'the runs share no forecast point with a known actual (same series, cutoff and date); compare runs evaluated on the same windows',
    );
  }
  for (const point of shared) {
    for (const { run, usable } of rest) {
      const other = usable.get(keyOf(point)) as RunPoint;
      if (other.y !== point.y) {
        throw new ConfigError(
          `runs ${runs[0]?.runId} and ${run.runId} have different actuals for series '${point.uniqueId}' at ${String(point.ds)} (${String(point.y)} vs ${String(other.y)}); they were evaluated on different data`,
        );
      }
    }
  }
  return {
    runs: runs.map(({ runId, label }) => ({ runId, label })),
    keys: shared.map(({ uniqueId, ds, cutoff }) => ({ uniqueId, ds, cutoff })),
    y: shared.map((point) => point.y as number),
    errors: byRun.map(({ usable }) =>
      shared.map((point) => {
        const own = usable.get(keyOf(point)) as RunPoint;
        return (own.y as number) - own.yhat;
      }),
    ),
    dropped: byRun.map(({ run, usable, missingValues }) => ({
      runId: run.runId,
      notShared: usable.size - shared.length,
      missingValues,
    })),
  };
}
