/** The plan of a sweep: what would run and what cannot, decided before anything runs. */
import type { Queryable } from '@nflab/store';
import type { RunSpec } from '@nflab/contracts';
import { checkRunAgainstRegistries } from './check-run.js';
import { createDataChecker } from './check-data.js';
import { expandSweepDetailed, type InvalidCombination, type RunInput } from './expand.js';

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

/** Options of {@link planSweep}. */
export interface PlanOptions {
  /** When given, tables, games, series, exogenous columns and series lengths are checked too. */
  readonly db?: Queryable;
}

/**
 * Plans a sweep: expands it (an InputError when the sweep itself is invalid), removes duplicate
 * runs, and moves every combination the registries or the data rule out to `invalid` with reasons.
 */
export const planSweep = async (sweep: unknown, options: PlanOptions = {}): Promise<SweepPlan> => {
  const expansion = expandSweepDetailed(sweep);
  const checkData = options.db === undefined ? undefined : createDataChecker(options.db);
  const runs: PlannedRun[] = [];
  const invalid: InvalidCombination[] = [...expansion.invalid];
  for (const { spec, fingerprint } of expansion.runs) {
    const reasons = checkRunAgainstRegistries(spec);
    // Data checks assume a known model and parameters; skip them when the registries already failed.
    if (reasons.length === 0 && checkData !== undefined) reasons.push(...(await checkData(spec)));
    if (reasons.length > 0) invalid.push({ spec: spec as unknown as RunInput, reasons });
    else runs.push({ index: runs.length, spec, fingerprint });
  }
  return {
    count: runs.length,
    runs,
    combinations: expansion.combinations,
    duplicatesRemoved: expansion.duplicatesRemoved,
    invalid,
  };
};
