/**
 * Sweep expansion: a sweep spec to the run-spec inputs it stands for, in a fixed order. Grid and
 * defaults modes take the Cartesian product in the run spec's field order (loto, unique_ids, model,
 * backend, search_space, loss, h, …; the first field varies slowest); list mode lays each entry of
 * `runs` over the shared fields. `each_unique_id` turns every panel into one run per series.
 */
import {
  ConfigError,
  InputError,
  isUniqueIdAlternatives,
  parseInput,
  parseSweepSpec,
  RUN_FIELD_NAMES,
  runSpecSchema,
  type RunSpec,
  type SweepSpec,
} from '@nflab/contracts';
import { fingerprintOf } from './fingerprint.js';

/** A run-spec input before parsing: one value per field (absent fields take their defaults). */
export type RunInput = Record<string, unknown>;

const panelsOf = (sweep: SweepSpec, ids: unknown): unknown[] => {
  const panels: unknown[] = isUniqueIdAlternatives(ids as SweepSpec['unique_ids'])
    ? (ids as string[][])
    : [ids];
  if (!sweep.each_unique_id) return panels;
  // One run per series, each series once, in the order the panels first list it.
  const single = new Set<string>();
  for (const panel of panels) if (Array.isArray(panel)) for (const id of panel) single.add(String(id));
  return [...single].map((id) => [id]);
};

/** The values a grid takes for one field: its alternatives, its one value, or nothing. */
const valuesOf = (sweep: SweepSpec, field: string): unknown[] => {
  const value = (sweep as Record<string, unknown>)[field];
  if (field === 'unique_ids') return value === undefined ? [undefined] : panelsOf(sweep, value);
  if (field === 'tracking' || !Array.isArray(value)) return [value];
  return value;
};

const withoutUndefined = (input: RunInput): RunInput =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

/** Cartesian product of `dims` in order, the last dimension varying fastest. */
const product = (dims: readonly (readonly [string, readonly unknown[]])[]): RunInput[] =>
  dims.reduce<RunInput[]>(
    (partial, [field, values]) =>
      partial.flatMap((input) => values.map((value) => ({ ...input, [field]: value }))),
    [{}],
  );

/** Most combinations one sweep may form; past this a plan would exhaust memory before it helps anyone. */
export const MAX_SWEEP_COMBINATIONS = 100_000;

const checkSize = (dims: readonly (readonly [string, readonly unknown[]])[]): void => {
  const total = dims.reduce((count, [, values]) => count * values.length, 1);
  if (total <= MAX_SWEEP_COMBINATIONS) return;
  const sizes = dims
    .filter(([, values]) => values.length > 1)
    .map(([field, values]) => `${field} ${values.length}`)
    .join(' × ');
  throw new ConfigError(
    `sweep forms ${total} combinations (${sizes}); at most ${MAX_SWEEP_COMBINATIONS} are allowed — split it or list fewer alternatives`,
  );
};

/** Every run-spec input of a parsed sweep, duplicates and invalid ones included, in expansion order. */
export const expandCombinations = (sweep: SweepSpec): RunInput[] => {
  if (sweep.mode === 'list') {
    const shared = Object.fromEntries(
      RUN_FIELD_NAMES.map((field) => [field, (sweep as Record<string, unknown>)[field]]),
    );
    return (sweep.runs ?? []).flatMap((run) => {
      const merged = withoutUndefined({ ...shared, ...withoutUndefined(run) });
      return panelsOf(sweep, merged.unique_ids).map((ids) =>
        withoutUndefined({ ...merged, unique_ids: ids }),
      );
    });
  }
  const dims = RUN_FIELD_NAMES.map((field) => [field, valuesOf(sweep, field)] as const);
  checkSize(dims);
  return product(dims).map(withoutUndefined);
};

/** One combination that failed the run spec's own checks, with the reasons. */
export interface InvalidCombination {
  readonly spec: RunInput;
  readonly reasons: readonly string[];
}

/** The parsed, de-duplicated runs of a sweep and what was dropped on the way. */
export interface Expansion {
  readonly runs: readonly { readonly spec: RunSpec; readonly fingerprint: string }[];
  /** Combinations before de-duplication and checks. */
  readonly combinations: number;
  readonly duplicatesRemoved: number;
  readonly invalid: readonly InvalidCombination[];
}

/** The parsed run spec of an input, or the reasons it fails (paths under `run`, naming the value). */
export const runSpecProblems = (input: RunInput): { spec?: RunSpec; reasons: string[] } => {
  try {
    return { spec: parseInput(runSpecSchema, input, 'run'), reasons: [] };
  } catch (error) {
    if (error instanceof InputError) return { reasons: error.issues.map((i) => `${i.path}: ${i.message}`) };
    throw error;
  }
};

/**
 * Expands a sweep into its runs: parses the sweep (an InputError names each bad field), forms every
 * combination, parses each as a run spec, drops runs whose fingerprint was seen before and sets
 * aside combinations the run spec rejects.
 */
export const expandSweepDetailed = (input: unknown): Expansion => {
  const sweep = parseSweepSpec(input);
  const combinations = expandCombinations(sweep);
  const seen = new Set<string>();
  const runs: { spec: RunSpec; fingerprint: string }[] = [];
  const invalid: InvalidCombination[] = [];
  const invalidSeen = new Set<string>();
  let duplicatesRemoved = 0;
  for (const combination of combinations) {
    const { spec, reasons } = runSpecProblems(combination);
    const fingerprint = fingerprintOf(spec ?? combination);
    if (seen.has(fingerprint) || invalidSeen.has(fingerprint)) {
      duplicatesRemoved += 1;
      continue;
    }
    if (spec === undefined) {
      invalidSeen.add(fingerprint);
      invalid.push({ spec: combination, reasons });
    } else {
      seen.add(fingerprint);
      runs.push({ spec, fingerprint });
    }
  }
  return { runs, combinations: combinations.length, duplicatesRemoved, invalid };
};

/** The distinct valid run specs of a sweep, in expansion order. */
export const expandSweep = (input: unknown): RunSpec[] =>
  expandSweepDetailed(input).runs.map((run) => run.spec);
