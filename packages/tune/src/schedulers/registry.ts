/**
 * Every Ray Tune scheduler (`backend: 'ray'`), keyed by its persisted id; each runs as a native
 * pruner. The ids are the contracts' SCHEDULER_IDS (`satisfies` makes a gap a compile error).
 */
import type { SchedulerId } from '@nflab/contracts';
import { asha } from './asha.js';
import type { SchedulerEntry } from './define-scheduler.js';
import { fifo } from './fifo.js';
import { hyperband } from './hyperband.js';

export type { SchedulerEntry } from './define-scheduler.js';
export type { SchedulerId } from '@nflab/contracts';

/** Every scheduler by persisted id. */
export const SCHEDULERS = { fifo, asha, hyperband } as const satisfies Record<SchedulerId, SchedulerEntry>;
