/** The shape of one compute operation (train, predict, refit, cv …): one file each, one registry line. */
import type { RunOperation, RunOperationKind } from '@nflab/contracts';
import type { ComputeHooks, ComputeJob, ComputeResult } from '../compute-types.js';
import type { RunSizes } from '../model-config.js';

/** The parsed operation of kind `K` (its options: `latest_data`, `n_windows` …). */
export type OperationOf<K extends RunOperationKind> = Extract<RunOperation, { kind: K }>;

/** What an operation returns; the compute step adds the runtime and the notes. */
export type OperationResult = Omit<ComputeResult, 'runtime' | 'notes'>;

/** What every operation gets besides its own options. */
export interface OperationContext {
  readonly job: ComputeJob;
  readonly hooks: ComputeHooks;
  /** The spec's validation and test sizes, resolved. */
  readonly sizes: RunSizes;
  /**
   * Runs `compute` with all the run's cpus as native BLAS threads: plain fits, forecasts and
   * cross-validation run alone on the compute thread (an Auto search's trial workers take one each).
   */
  readonly alone: <T>(compute: () => Promise<T>) => Promise<T>;
  /** What the run decided or skipped, for the run's logs. */
  readonly notes: string[];
}

/**
 * What an operation starts from besides the table's rows: nothing more (`spec`), a parent run's
 * saved model and config (the job's `parent`), or other runs' stored forecasts (the job's `members`).
 */
export type OperationSource = 'spec' | 'parent' | 'members';

/** One operation a run can do. */
export interface ComputeOperation<K extends RunOperationKind> {
  readonly kind: K;
  readonly source: OperationSource;
  readonly run: (operation: OperationOf<K>, context: OperationContext) => Promise<OperationResult>;
}
