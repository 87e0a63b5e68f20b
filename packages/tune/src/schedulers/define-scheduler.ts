/**
 * The registry entry of one Ray Tune scheduler: its id, its option schema (Ray's argument names)
 * and the native pruner it runs as, with the options translated to that pruner's.
 */
import type { PrunerId } from '@nflab/contracts';
import type { z } from 'zod';

/** One member of the `SCHEDULERS` registry; each scheduler file defines its own. */
export interface SchedulerEntry<S extends z.ZodType = z.ZodType> {
  /** Persisted id; equals its registry key. */
  readonly id: string;
  /** One line for UIs and docs. */
  readonly description: string;
  /** `scheduler_options` as a spec writes them (snake_case); unknown keys are rejected. */
  readonly options: S;
  /** The pruner that implements the scheduler. */
  readonly pruner: PrunerId;
  /** The pruner's options for parsed scheduler options. */
  readonly prunerOptions: (options: z.output<S>) => Record<string, unknown>;
}

/** Identity helper that keeps each entry's option type precise. */
export const defineScheduler = <S extends z.ZodType>(entry: SchedulerEntry<S>): SchedulerEntry<S> => entry;
