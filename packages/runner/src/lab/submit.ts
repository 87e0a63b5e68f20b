/**
 * Putting work on the queue: a sweep (planned first, so invalid combinations never reach a worker),
 * a single run, a model operation on a finished run, and the resume of a sweep after a crash.
 * The CLI and the API server both go through here, so they check and record work the same way.
 */
import {
  ConfigError,
  NotFoundError,
  parseInput,
  parseRunSpec,
  parseSweepSpec,
  runOperationSchema,
  type RunOperationInput,
  type RunSpec,
} from '@nflab/contracts';
import { findRunStatusAndSpec, findSweepSpec, type Db } from '@nflab/store';
import { loadParentModel } from '../execute/parent-model.js';
import { createDataChecker } from '../plan/check-data.js';
import { checkRunAgainstRegistries } from '../plan/check-run.js';
import { fingerprintOf } from '../plan/fingerprint.js';
import { planSweep, type SweepPlan } from '../plan/plan.js';
import type { EnqueueRun, RunQueue } from '../queue/index.js';

/** Retry policy of submitted runs. */
export interface RetryPolicy {
  /** Extra attempts after a failure. @default 0 */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each further one. @default 0 */
  readonly retryDelaySeconds?: number;
}

const policy = (retry: RetryPolicy): Pick<EnqueueRun, 'maxAttempts' | 'retryDelaySeconds'> => {
  const retries = retry.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0)
    throw new ConfigError(`retries must be an integer ≥ 0, got ${retries}`);
  return { maxAttempts: retries + 1, retryDelaySeconds: retry.retryDelaySeconds ?? 0 };
};

/** The lab's bound on the work one sweep may plan and queue. */
export interface SizeLimit {
  /** Most combinations the sweep may form. @default DEFAULT_MAX_COMBINATIONS (10,000) */
  readonly maxCombinations?: number;
}

const limitOf = (options: SizeLimit): SizeLimit =>
  options.maxCombinations === undefined ? {} : { maxCombinations: options.maxCombinations };

const invalidSummary = (plan: SweepPlan): string =>
  plan.invalid
    .slice(0, 5)
    .map((entry) => `  - ${String(entry.spec.model ?? '?')}: ${entry.reasons.join('; ')}`)
    .join('\n');

/** Plans a sweep and queues its valid runs as one sweep; a ConfigError when none is valid. */
export const submitSweep = async (
  db: Db,
  queue: RunQueue,
  sweep: unknown,
  options: RetryPolicy & SizeLimit & { readonly name?: string } = {},
): Promise<{ sweepId: string; runIds: string[]; plan: SweepPlan }> => {
  const plan = await planSweep(sweep, { db, ...limitOf(options) });
  if (plan.count === 0) {
    throw new ConfigError(
      `the sweep has no valid run (${plan.invalid.length} invalid combination(s)):\n${invalidSummary(plan)}`,
    );
  }
  const retry = policy(options);
  // Stored as parsed: ids instead of NeuralForecast class names ("AutoNHITS" -> "auto_nhits"), with
  // the defaults that ran; parsing is idempotent, so resume plans the same runs from it.
  const parsed = parseSweepSpec(sweep);
  const { sweepId, runIds } = await queue.createSweep({
    ...(options.name !== undefined ? { name: options.name } : {}),
    spec: parsed,
    mode: parsed.mode,
    runs: plan.runs.map((run) => ({ spec: run.spec, fingerprint: run.fingerprint, ...retry })),
  });
  return { sweepId, runIds, plan };
};

/** Checks one run spec against the registries and the data; a ConfigError lists every problem. */
export const checkRunSpec = async (db: Db, input: unknown): Promise<RunSpec> => {
  const spec = parseRunSpec(input);
  const problems = [...checkRunAgainstRegistries(spec)];
  if (problems.length === 0) problems.push(...(await createDataChecker(db)(spec)));
  if (problems.length > 0) throw new ConfigError(`the run cannot start:\n  - ${problems.join('\n  - ')}`);
  return spec;
};

/** Queues one run (outside any sweep). */
export const submitRun = async (
  db: Db,
  queue: RunQueue,
  input: unknown,
  options: RetryPolicy = {},
): Promise<{ runId: string; spec: RunSpec }> => {
  const spec = await checkRunSpec(db, input);
  const [runId] = await queue.enqueue([{ spec, fingerprint: fingerprintOf(spec), ...policy(options) }]);
  return { runId: runId as string, spec };
};

/** Queues predict / refit / cv on a finished run, as a new run linked to it. */
export const submitModelOperation = async (
  db: Db,
  queue: RunQueue,
  parentRunId: string,
  operationInput: RunOperationInput,
): Promise<{ runId: string }> => {
  const operation = parseInput(runOperationSchema, operationInput, 'operation');
  if (operation.kind === 'train')
    throw new ConfigError("operation: 'train' starts from a spec; use run or sweep");
  const parent = await findRunStatusAndSpec(db, parentRunId);
  if (!parent) throw new NotFoundError(`run ${parentRunId} does not exist`);
  if (parent.status !== 'finished')
    throw new ConfigError(`run ${parentRunId} is ${parent.status}; model operations need a finished run`);
  // Refused now rather than failing on a worker: the parent must have saved a model to start from.
  await loadParentModel(db, parentRunId);
  const spec = parseRunSpec(parent.spec);
  // A predict/refit/cv run is the parent's model on (possibly newer) data; its own options are the operation's.
  const own: RunSpec = { ...spec, cross_validation: null };
  const [runId] = await queue.enqueue([
    { spec: own, fingerprint: fingerprintOf({ parent: parentRunId, operation }), parentRunId, operation },
  ]);
  return { runId: runId as string };
};

/**
 * Resumes a sweep after a crash: runs its plan again and queues combinations that never made it
 * into the database, then puts runs lost with a dead worker (and with `retryFailed` every failed
 * run) back in the queue. Finished runs are never repeated.
 */
export const resumeSweep = async (
  db: Db,
  queue: RunQueue,
  sweepId: string,
  options: SizeLimit & { readonly retryFailed?: boolean } = {},
): Promise<{ added: number; requeued: number }> => {
  const sweep = await findSweepSpec(db, sweepId);
  if (!sweep) throw new NotFoundError(`sweep ${sweepId} does not exist`);
  const plan = await planSweep(sweep.spec, { db, ...limitOf(options) });
  const added = await queue.addMissingRuns(
    sweepId,
    plan.runs.map((run) => ({ spec: run.spec, fingerprint: run.fingerprint })),
  );
  const { requeued } = await queue.resumeSweep(sweepId, options);
  return { added: added.length, requeued };
};
