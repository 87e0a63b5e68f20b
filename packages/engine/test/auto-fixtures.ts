/** Tiny data and configs shared by the Auto tests. */
import type { ConfigValue } from '../src/auto/auto-config.js';
import type { PanelRow } from '../src/data/panel.js';

/** Two noisy sine series of 60 integer-indexed points. */
export const sinePanel = (length = 60): PanelRow[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length }, (_, t) => ({
      unique_id: id,
      ds: t + 1,
      y: 10 + 3 * Math.sin((2 * Math.PI * t) / 8 + k) + 0.1 * Math.cos(7 * t),
    })),
  );

/** NHITS small enough for a test: 20 steps, validation every 5, tiny MLPs. */
export const SMALL_NHITS: Readonly<Record<string, ConfigValue>> = {
  mlp_units: [
    [8, 8],
    [8, 8],
    [8, 8],
  ],
  n_pool_kernel_size: {
    kind: 'categorical',
    choices: [
      [1, 1, 1],
      [2, 2, 1],
    ],
  },
  max_steps: 20,
  val_check_steps: 5,
  batch_size: 4,
  windows_batch_size: 16,
  input_size: { kind: 'categorical', choices: [4, 8] },
};
