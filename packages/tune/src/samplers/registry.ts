/**
 * Every sampler, keyed by its persisted id: one line per sampler; each sampler file defines its
 * entry (option schema and factory). Options are snake_case JSON (Optuna's argument names) so specs
 * store and travel as they are. The ids are the contracts' SAMPLER_IDS: `satisfies` makes a
 * sampler missing here, or one the contracts do not list, a compile error.
 */
import { ConfigError, type SamplerId } from '@nflab/contracts';
import { bruteforce } from './brute-force.js';
import { cmaes } from './cmaes.js';
import type { SamplerEntry } from './define-sampler.js';
import { grid } from './grid.js';
import { qmc } from './qmc.js';
import { random } from './random.js';
import { tpe } from './tpe/tpe.js';
import type { Sampler } from './types.js';

export type { SamplerEntry } from './define-sampler.js';
export type { SamplerId } from '@nflab/contracts';

/** Every sampler by persisted id. */
export const SAMPLERS = { random, grid, tpe, qmc, cmaes, bruteforce } as const satisfies Record<
  SamplerId,
  SamplerEntry
>;

/** Creates a sampler from its id and JSON options; ConfigError names unknown ids and bad options. */
export const createSampler = (id: string, options: unknown = {}, seed?: number): Sampler => {
  const found = (SAMPLERS as Record<string, SamplerEntry>)[id];
  if (!found) throw new ConfigError(`unknown sampler "${id}"; allowed: ${Object.keys(SAMPLERS).join(', ')}`);
  const parsed = found.options.safeParse(options ?? {});
  if (!parsed.success)
    throw new ConfigError(
      `sampler "${id}" options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'} ${i.message}`).join('; ')}`,
    );
  return found.create(parsed.data, seed);
};
