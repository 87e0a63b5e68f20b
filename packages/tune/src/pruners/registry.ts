/**
 * Every pruner, keyed by its persisted id, with Optuna's argument names (snake_case JSON) as
 * options; each pruner file defines its entry. Aliases (`nop`, `asha`) resolve to a canonical id.
 * The ids are the contracts' PRUNER_IDS: `satisfies` makes a pruner missing here, or one the
 * contracts do not list, a compile error.
 */
import { ConfigError, type PrunerId } from '@nflab/contracts';
import type { PrunerEntry } from './define-pruner.js';
import { hyperband } from './hyperband.js';
import { none } from './nop.js';
import { patient } from './patient.js';
import { median, percentile } from './percentile.js';
import { successive_halving } from './successive-halving.js';
import { threshold } from './threshold.js';
import type { Pruner } from './types.js';

export type { PrunerEntry } from './define-pruner.js';
export type { PrunerId } from '@nflab/contracts';

/** Every pruner by persisted id. */
export const PRUNERS = {
  none,
  median,
  percentile,
  successive_halving,
  hyperband,
  patient,
  threshold,
} as const satisfies Record<PrunerId, PrunerEntry>;

/** Other names accepted for pruners: Optuna's NopPruner and Ray's ASHA. */
export const PRUNER_ALIASES = { nop: 'none', asha: 'successive_halving' } as const satisfies Record<
  string,
  PrunerId
>;

/** Creates a pruner from its id (or alias) and JSON options; ConfigError names unknown ids and bad options. */
export function createPruner(id: string, options: unknown = {}): Pruner {
  const canonical = (PRUNER_ALIASES as Record<string, string>)[id] ?? id;
  const found = (PRUNERS as Record<string, PrunerEntry>)[canonical];
  if (!found)
    throw new ConfigError(
      `unknown pruner "${id}"; allowed: ${[...Object.keys(PRUNERS), ...Object.keys(PRUNER_ALIASES)].join(', ')}`,
    );
  const parsed = found.options.safeParse(options ?? {});
  if (!parsed.success)
    throw new ConfigError(
      `pruner "${id}" options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'} ${i.message}`).join('; ')}`,
    );
  return found.create(parsed.data, createPruner);
}
