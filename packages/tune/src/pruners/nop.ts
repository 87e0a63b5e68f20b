/** Never prunes (Optuna's NopPruner; Ray's FIFO scheduler). */
import type { Pruner } from './types.js';
import { z } from 'zod';
import { definePruner } from './define-pruner.js';

/** Creates the pruner that never prunes. */
export const createNopPruner = (): Pruner => ({ id: 'none', prune: async () => false });

/** The `none` pruner: no options. */
export const none = definePruner({
  id: 'none',
  description: 'Never prunes.',
  options: z.object({}).strict(),
  create: () => createNopPruner(),
});
