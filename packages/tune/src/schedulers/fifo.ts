/** Ray Tune's FIFOScheduler: runs every trial to the end (the `none` pruner); it takes no options. */
import { z } from 'zod';
import { defineScheduler } from './define-scheduler.js';

/** The `fifo` scheduler. */
export const fifo = defineScheduler({
  id: 'fifo',
  description: 'First in, first out: never stops a trial early.',
  options: z.object({}).strict(),
  pruner: 'none',
  prunerOptions: () => ({}),
});
