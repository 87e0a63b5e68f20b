/** Never prunes (Optuna's NopPruner; Ray's FIFO scheduler). */
import type { Pruner } from './types.js';

/** Creates the pruner that never prunes. */
export const createNopPruner = (): Pruner => ({ id: 'none', prune: async () => false });
