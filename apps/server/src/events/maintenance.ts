/** Housekeeping on a timer: old events and expired sessions are deleted so the tables stay small. */
import type { Queryable } from '@nflab/store';
import { deleteExpiredSessions } from '../auth/sessions.js';

/** Days events are kept; a client offline longer than this reloads instead of replaying. @default 7 */
export const DEFAULT_EVENT_RETENTION_DAYS = 7;
const EVERY_MS = 3600 * 1000;

/** Deletes events older than `retentionDays`; returns how many. */
export const deleteOldEvents = async (db: Queryable, retentionDays: number): Promise<number> =>
  (await db.query('DELETE FROM nf_events WHERE at < now() - make_interval(days => $1)', [retentionDays]))
    .rowCount;

/** Runs the housekeeping now and hourly; returns the function that stops it. */
export const startMaintenance = (
  db: Queryable,
  retentionDays: number,
  onError: (error: unknown) => void,
): (() => void) => {
  const run = (): void => {
    void Promise.all([deleteOldEvents(db, retentionDays), deleteExpiredSessions(db)]).catch(onError);
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  // Housekeeping alone must not keep a process alive.
  timer.unref();
  return () => clearInterval(timer);
};
