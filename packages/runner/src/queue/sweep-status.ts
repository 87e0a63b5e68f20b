/** A sweep's progress as the queue reports it, from the counts its trigger keeps. */
import { NotFoundError } from '@nflab/contracts';
import { findSweepCounts, type Queryable } from '@nflab/store';
import type { SweepProgress } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws a NotFoundError naming `what` when `id` cannot be an id (a uuid) at all. */
export const checkUuid = (id: string, what: 'run' | 'sweep'): void => {
  if (!UUID.test(id)) throw new NotFoundError(`${what} ${JSON.stringify(id)} does not exist (ids are uuids)`);
};

/** The sweep's counts and status; NotFoundError when there is no such sweep. */
export const readSweepProgress = async (q: Queryable, sweepId: string): Promise<SweepProgress> => {
  checkUuid(sweepId, 'sweep');
  const row = await findSweepCounts(q, sweepId);
  if (row === undefined) throw new NotFoundError(`sweep ${sweepId} does not exist`);
  const done = row.runs_finished + row.runs_failed + row.runs_cancelled;
  return {
    sweepId: row.id,
    status: row.status,
    plannedRuns: row.planned_runs,
    queued: row.runs_queued,
    running: row.runs_running,
    finished: row.runs_finished,
    failed: row.runs_failed,
    cancelled: row.runs_cancelled,
    total: done + row.runs_queued + row.runs_running,
    done,
    startTime: row.start_time,
    endTime: row.end_time,
  };
};
