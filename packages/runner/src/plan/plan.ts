/** The plan of a sweep: what would run and what cannot, decided before anything runs. */
import { checkSweepSize, DEFAULT_MAX_COMBINATIONS, parseSweepSpec, type RunSpec } from '@nflab/contracts';
import type { Queryable } from '@nflab/store';
import { checkRunAgainstRegistries, seriesSplitProblem } from './check-run.js';
import { createDataChecker } from './check-data.js';
import { classifyCombinations, type InvalidCombination, type RunInput } from './expand.js';
import { sliceClock } from './turns.js';

/** One run of a plan. */
export interface PlannedRun {
  /** Position among the valid runs, from 0, in expansion order. */
  readonly index: number;
  readonly spec: RunSpec;
  /** SHA-256 of the run spec's canonical JSON; equal runs share it. */
  readonly fingerprint: string;
}

/** A sweep's plan. */
export interface SweepPlan {
  /** Runs that would start. */
  readonly count: number;
  readonly runs: readonly PlannedRun[];
  /** Combinations the sweep forms before removing duplicates and invalid ones. */
  readonly combinations: number;
  readonly duplicatesRemoved: number;
  /** Combinations that cannot run, with every reason. */
  readonly invalid: readonly InvalidCombination[];
}

/** A page of a sweep's plan: every count, and one slice of the runs and of the invalid combinations. */
export interface SweepPlanPage extends SweepPlan {
  /** Combinations that cannot run (`invalid` holds one page of them). */
  readonly invalidCount: number;
  readonly offset: number;
  readonly limit: number;
}

/** Options of {@link planSweep} and {@link planSweepPage}. */
export interface PlanOptions {
  /** When given, tables, games, series, exogenous columns and series lengths are checked too. */
  readonly db?: Queryable;
  /**
   * Most combinations the sweep may form; more is a CombinationLimitError (400) before any is formed.
   * @default DEFAULT_MAX_COMBINATIONS (10,000)
   */
  readonly maxCombinations?: number;
  /** Called with every valid run in order (the page keeps only some), e.g. to sum an estimate. */
  readonly onRun?: (run: PlannedRun) => void;
}

/** Options of {@link planSweepPage}. */
export interface PageOptions extends PlanOptions {
  /** Position of the first run (and invalid combination) kept. @default 0 */
  readonly offset?: number;
  /** Runs (and invalid combinations) kept at most. @default all */
  readonly limit?: number;
}

/**
 * Plans a sweep one combination at a time and keeps one page: expands it (an InputError when the
 * sweep itself is invalid, a CombinationLimitError past the limit), removes duplicate runs, and
 * counts every combination the run spec, the registries or the data rule out as invalid with
 * reasons. Memory holds one fingerprint per distinct combination plus the page; the work goes in
 * slices of a few milliseconds that take turns with other plans and with I/O (see turns.ts).
 */
export const planSweepPage = async (sweep: unknown, options: PageOptions = {}): Promise<SweepPlanPage> => {
  const parsed = parseSweepSpec(sweep);
  const { combinations } = checkSweepSize(parsed, options.maxCombinations ?? DEFAULT_MAX_COMBINATIONS);
  const offset = options.offset ?? 0;
  const end = offset + (options.limit ?? Number.POSITIVE_INFINITY);
  const checkData = options.db === undefined ? undefined : createDataChecker(options.db);
  const runs: PlannedRun[] = [];
  const invalid: InvalidCombination[] = [];
  let count = 0;
  let invalidCount = 0;
  let duplicatesRemoved = 0;
  const addInvalid = (entry: InvalidCombination): void => {
    if (invalidCount >= offset && invalidCount < end) invalid.push(entry);
    invalidCount += 1;
  };
  const clock = sliceClock();
  for (const item of classifyCombinations(parsed)) {
    await clock.pause();
    if (item.kind === 'duplicate') duplicatesRemoved += 1;
    else if (item.kind === 'invalid') addInvalid(item.entry);
    else {
      const split = seriesSplitProblem(parsed, item.spec);
      const reasons = [...(split === undefined ? [] : [split]), ...checkRunAgainstRegistries(item.spec)];
      // Data checks assume a known model and parameters; skip them when the registries already failed.
      if (reasons.length === 0 && checkData !== undefined) reasons.push(...(await checkData(item.spec)));
      if (reasons.length > 0) addInvalid({ spec: item.spec as unknown as RunInput, reasons });
      else {
        const run = { index: count, spec: item.spec, fingerprint: item.fingerprint };
        options.onRun?.(run);
        if (count >= offset && count < end) runs.push(run);
        count += 1;
      }
    }
  }
  const limit = Number.isFinite(end) ? end - offset : Math.max(count, invalidCount);
  return { count, runs, combinations, duplicatesRemoved, invalid, invalidCount, offset, limit };
};

/**
 * Plans a sweep whole: every valid run and every invalid combination with its reasons (at most
 * `maxCombinations` of them together), for callers that queue or print the lot.
 */
export const planSweep = async (sweep: unknown, options: PlanOptions = {}): Promise<SweepPlan> => {
  const { count, runs, combinations, duplicatesRemoved, invalid } = await planSweepPage(sweep, options);
  return { count, runs, combinations, duplicatesRemoved, invalid };
};
