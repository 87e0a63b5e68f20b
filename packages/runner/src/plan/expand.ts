/**
 * Sweep expansion: a sweep spec to the run-spec inputs it stands for, in a fixed order. Grid and
 * defaults modes take the Cartesian product in the run spec's field order (loto, unique_ids, model,
 * backend, search_space, loss, h, …; the first field varies slowest); list mode lays each entry of
 * `runs` over the shared fields. `each_unique_id` turns every panel into one run per series.
 */
import {
  checkSweepSize,
  DEFAULT_MAX_COMBINATIONS,
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

/** Cartesian product of `dims` in order, the last dimension varying fastest, one input at a time. */
function* product(dims: readonly (readonly [string, readonly unknown[]])[]): Generator<RunInput> {
  if (dims.some(([, values]) => values.length === 0)) return;
  // An odometer over the value lists: memory stays one input, however many the product holds.
  const at = dims.map(() => 0);
  for (;;) {
    yield Object.fromEntries(dims.map(([field, values], d) => [field, values[at[d] as number]]));
    let d = dims.length - 1;
    while (d >= 0 && (at[d] as number) + 1 === (dims[d]?.[1].length as number)) at[d--] = 0;
    if (d < 0) return;
    at[d] = (at[d] as number) + 1;
  }
}

/** Options of the expansion. */
export interface ExpandOptions {
  /**
   * Most combinations the sweep may form; more is a {@link CombinationLimitError} before any is formed.
   * @default DEFAULT_MAX_COMBINATIONS (10,000)
   */
  readonly maxCombinations?: number;
}

/**
 * Every run-spec input of a parsed sweep, duplicates and invalid ones included, in expansion order,
 * formed one at a time. The size is not checked here: callers check it first with `checkSweepSize`.
 */
export function* combinationsOf(sweep: SweepSpec): Generator<RunInput> {
  // Tags label every run alike; they are laid on each combination, never varied.
  const tags = sweep.tags === undefined ? {} : { tags: sweep.tags };
  for (const input of untaggedCombinationsOf(sweep)) yield { ...input, ...tags };
}

function* untaggedCombinationsOf(sweep: SweepSpec): Generator<RunInput> {
  if (sweep.mode === 'list') {
    const shared = Object.fromEntries(
      RUN_FIELD_NAMES.map((field) => [field, (sweep as Record<string, unknown>)[field]]),
    );
    for (const run of sweep.runs ?? []) {
      const merged = withoutUndefined({ ...shared, ...withoutUndefined(run) });
      for (const ids of panelsOf(sweep, merged.unique_ids))
        yield withoutUndefined({ ...merged, unique_ids: ids });
    }
    return;
  }
  const dims = RUN_FIELD_NAMES.map((field) => [field, valuesOf(sweep, field)] as const);
  for (const input of product(dims)) yield withoutUndefined(input);
}

/** Every run-spec input of a parsed sweep (at most `maxCombinations`), in expansion order. */
export const expandCombinations = (sweep: SweepSpec, options: ExpandOptions = {}): RunInput[] => {
  checkSweepSize(sweep, options.maxCombinations ?? DEFAULT_MAX_COMBINATIONS);
  return [...combinationsOf(sweep)];
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

/** What one combination turned out to be: a new run, a new invalid combination, or a duplicate. */
export type Combination =
  | { readonly kind: 'run'; readonly spec: RunSpec; readonly fingerprint: string }
  | { readonly kind: 'invalid'; readonly entry: InvalidCombination }
  | { readonly kind: 'duplicate' };

/**
 * Parses each combination of a sweep as a run spec, in expansion order, and tells runs seen before
 * (by fingerprint) apart. Holds one fingerprint per distinct combination, never the combinations.
 */
export function* classifyCombinations(sweep: SweepSpec): Generator<Combination> {
  const seen = new Set<string>();
  for (const combination of combinationsOf(sweep)) {
    const { spec, reasons } = runSpecProblems(combination);
    const fingerprint = fingerprintOf(spec ?? combination);
    if (seen.has(fingerprint)) yield { kind: 'duplicate' };
    else {
      seen.add(fingerprint);
      yield spec === undefined
        ? { kind: 'invalid', entry: { spec: combination, reasons } }
        : { kind: 'run', spec, fingerprint };
    }
  }
}

/**
 * Expands a sweep into its runs: parses the sweep (an InputError names each bad field), refuses it
 * past `maxCombinations`, forms every combination, parses each as a run spec, drops runs whose
 * fingerprint was seen before and sets aside combinations the run spec rejects.
 */
export const expandSweepDetailed = (input: unknown, options: ExpandOptions = {}): Expansion => {
  const sweep = parseSweepSpec(input);
  const { combinations } = checkSweepSize(sweep, options.maxCombinations ?? DEFAULT_MAX_COMBINATIONS);
  const runs: { spec: RunSpec; fingerprint: string }[] = [];
  const invalid: InvalidCombination[] = [];
  let duplicatesRemoved = 0;
  for (const item of classifyCombinations(sweep)) {
    if (item.kind === 'duplicate') duplicatesRemoved += 1;
    else if (item.kind === 'invalid') invalid.push(item.entry);
    else runs.push({ spec: item.spec, fingerprint: item.fingerprint });
  }
  return { runs, combinations, duplicatesRemoved, invalid };
};

/** The distinct valid run specs of a sweep, in expansion order. */
export const expandSweep = (input: unknown, options: ExpandOptions = {}): RunSpec[] =>
  expandSweepDetailed(input, options).runs.map((run) => run.spec);
