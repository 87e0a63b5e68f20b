/** Which status a run page shows while it follows the run's events. */
import type { RunStatus } from '../api/types.js';

/** Whether a run may still change (its page follows its events). */
export const isActiveStatus = (status: RunStatus): boolean => status === 'running' || status === 'queued';

/**
 * The loaded row's status once it has ended, else the latest event's: the reload that brings an
 * ended row closes the stream, so an event read before it ("running", with "finished" still in
 * flight) must not outlive it.
 */
export const shownRunStatus = (row: RunStatus, event: RunStatus | undefined): RunStatus =>
  isActiveStatus(row) ? (event ?? row) : row;

/** Whether an event says the row moved on, so the page must load it again. */
export const rowIsStale = (row: RunStatus, event: RunStatus | undefined): boolean =>
  isActiveStatus(row) && event !== undefined && event !== row;
