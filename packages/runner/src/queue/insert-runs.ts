/** Queued runs from their specs: the store inserts them; its driver errors become the lab's. */
import { ConflictError, NotFoundError } from '@nflab/contracts';
import { insertQueuedRuns, type Queryable } from '@nflab/store';
import {
  errorCodes,
  FOREIGN_KEY_VIOLATION,
  INVALID_TEXT_REPRESENTATION,
  messageIncludes,
  UNIQUE_VIOLATION,
} from './driver-errors.js';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, traceparentOf } from '../tracing/run-trace.js';
import { runInsertRow } from './seed-columns.js';
import type { EnqueueRun } from './types.js';

/** Options of {@link insertRuns}. */
export interface InsertRunsOptions {
  readonly sweepId: string | null;
  /** Skip runs whose fingerprint the sweep already has (resume) instead of failing. */
  readonly skipExisting: boolean;
}

const translate = (error: unknown, sweepId: string | null): unknown => {
  const codes = errorCodes(error);
  if (codes.includes(UNIQUE_VIOLATION))
    return new ConflictError(
      `sweep ${sweepId} already has a run with one of these spec fingerprints; each run appears once in a sweep (use addMissingRuns to resume)`,
      { cause: error },
    );
  if (codes.includes(FOREIGN_KEY_VIOLATION) && messageIncludes(error, 'sweep_id'))
    return new NotFoundError(`sweep ${sweepId} does not exist`, { cause: error });
  if (codes.includes(FOREIGN_KEY_VIOLATION) && messageIncludes(error, 'parent_run_id'))
    return new NotFoundError('a parentRunId names no run in nf_model_runs', { cause: error });
  if (codes.includes(INVALID_TEXT_REPRESENTATION))
    return new NotFoundError(`sweepId or parentRunId is not a run/sweep id (a uuid)`, { cause: error });
  return error;
};

/**
 * Inserts `runs` as queued, returning the new ids in input order (skipped runs left out), in a
 * `queue enqueue` span whose traceparent each run stores (none when tracing is off).
 */
export const insertRuns = async (
  q: Queryable,
  runs: readonly EnqueueRun[],
  { sweepId, skipExisting }: InsertRunsOptions,
): Promise<string[]> => {
  return inSpan(
    'queue enqueue',
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'nflab.runs': runs.length, ...(sweepId ? { 'nflab.sweep.id': sweepId } : {}) },
    },
    async (span) => {
      // Each run remembers this span, so the worker that claims it continues the trace.
      const traceParent = traceparentOf();
      const rows = runs.map((run, index) => ({ ...runInsertRow(run, index), trace_parent: traceParent }));
      try {
        const ids = await insertQueuedRuns(q, rows, { sweepId, skipExisting });
        if (ids.length === 1) span.setAttribute('nflab.run.id', ids[0] as string);
        return ids;
      } catch (error) {
        throw translate(error, sweepId);
      }
    },
  );
};
