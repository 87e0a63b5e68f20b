/** Housekeeping on a timer: old events and expired sessions are deleted so the tables stay small. */
import { deleteExpiredSessions, deleteOldEvents, type Queryable } from '@nflab/store';

/** Days events are kept; a client offline longer than this reloads instead of replaying. @default 7 */
export const DEFAULT_EVENT_RETENTION_DAYS = 7;
const EVERY_MS = 3600 * 1000;

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
