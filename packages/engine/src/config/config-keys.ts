/**
 * Strict config keys: every key of a model entry's flat config must be a common training key, one
 * of the model's own keys, or a NeuralForecast argument this engine decides about on purpose
 * (below). Anything else is a ConfigError naming the key, the model and the nearest valid key —
 * a typo such as `n_pool_kernel` must never train silently with the default.
 */
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { ModelSpec } from '../model/types.js';
import { COMMON_KEYS } from './common.js';

/**
 * NeuralForecast arguments (model arguments and `**trainer_kwargs`) that select hardware, logging
 * or data-loader plumbing. They cannot change what is learned here, so specs written for
 * NeuralForecast are accepted as they are and these keys are ignored.
 */
export const IGNORED_NF_KEYS = {
  accelerator: 'the compute backend is the engine setting (setBackend), not a per-model argument',
  devices: 'the compute backend is the engine setting (setBackend), not a per-model argument',
  strategy: 'training runs in one process; trials run in parallel through worker threads instead',
  logger: "every step's losses go to the onProgress callback, which the lab records",
  enable_progress_bar: 'progress goes to the onProgress callback',
  enable_model_summary: 'no Lightning model summary exists here',
  enable_checkpointing: 'models are saved explicitly with save(dir)',
  num_workers_loader: 'windows are sampled in-process; there are no data-loader workers',
  dataloader_kwargs: 'windows are sampled in-process; there is no PyTorch DataLoader',
} as const satisfies Record<string, string>;

/** A NeuralForecast argument accepted only at the value that matches what this engine does. */
interface ConditionalKey {
  /** True for the values that describe what the engine does anyway. */
  readonly accepts: (value: unknown) => boolean;
  /** Why other values are refused, and what to use instead. */
  readonly reason: string;
}

const isUnset = (value: unknown): boolean =>
  value === null ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/**
 * NeuralForecast arguments whose default describes this engine (Adam, StepLR, fp32): accepted at
 * that default as a no-op, refused otherwise because honouring them would change training.
 */
export const CONDITIONAL_NF_KEYS: Readonly<Record<string, ConditionalKey>> = {
  optimizer: {
    accepts: isUnset,
    reason: 'training always uses Adam at learning_rate; other optimizers are not implemented',
  },
  optimizer_kwargs: {
    accepts: isUnset,
    reason: "Adam's settings other than learning_rate are fixed (betas 0.9/0.999, eps 1e-8)",
  },
  lr_scheduler: {
    accepts: isUnset,
    reason: "the schedule is NeuralForecast's default StepLR, set with num_lr_decays",
  },
  lr_scheduler_kwargs: {
    accepts: isUnset,
    reason: "the schedule is NeuralForecast's default StepLR, set with num_lr_decays",
  },
  precision: {
    accepts: (value) => value === 32 || value === '32' || value === '32-true',
    reason: 'tensors are float32; only precision 32 is supported',
  },
};

/** NeuralForecast takes the column name as a model argument; here it is the entry's `alias`, and `config.alias` is read as the same. */
const ALIAS_KEY = 'alias';

/** The column name a config gives with NeuralForecast's `alias` argument, if any. */
export const configAlias = (config: Readonly<Record<string, unknown>>): string | undefined => {
  const alias = config[ALIAS_KEY];
  if (alias === undefined || alias === null) return undefined;
  if (typeof alias !== 'string' || alias.length === 0) {
    throw new ConfigError(
      `config key 'alias' must be a non-empty string (the forecast column name), got ${JSON.stringify(alias)}`,
    );
  }
  return alias;
};

/** The model-specific keys of a spec, read from its object config schema. */
export const modelConfigKeys = (spec: Pick<ModelSpec, 'id' | 'configSchema'>): string[] => {
  const schema: unknown = spec.configSchema;
  if (!(schema instanceof z.ZodObject)) {
    throw new ConfigError(`model '${spec.id}': its config schema must be a zod object so its keys are known`);
  }
  return Object.keys(schema.shape);
};

/** Options of {@link checkConfigKeys}. */
export interface CheckConfigKeysOptions {
  /** Name used in messages (the column name, or the id). */
  readonly modelName: string;
  readonly spec: Pick<ModelSpec, 'id' | 'label' | 'configSchema'>;
}

/** Whether a key is a known config key, a decided NeuralForecast argument, or unknown. */
type KeyKind = 'valid' | 'ignored' | 'conditional' | 'unknown';

const kindOf = (key: string, valid: readonly string[]): KeyKind => {
  if (valid.includes(key)) return 'valid';
  if (key === ALIAS_KEY || Object.hasOwn(IGNORED_NF_KEYS, key)) return 'ignored';
  return Object.hasOwn(CONDITIONAL_NF_KEYS, key) ? 'conditional' : 'unknown';
};

const whereOf = (options: CheckConfigKeysOptions): string =>
  `${options.spec.id}${options.modelName === options.spec.label ? '' : ` ('${options.modelName}')`}`;

const unknownKeyError = (key: string, valid: readonly string[], where: string): ConfigError => {
  const nearest = nearestKey(key, valid);
  return new ConfigError(
    `${where}: unknown config key '${key}'${nearest ? ` — did you mean '${nearest}'?` : ''} Valid keys: ${valid.join(', ')}`,
  );
};

/**
 * Throws a ConfigError for the first key of `raw` that is unknown (with the nearest valid key) or
 * refused (with the reason); returns `raw` without the keys that are accepted as no-ops.
 */
export const checkConfigKeys = (
  raw: Readonly<Record<string, unknown>>,
  options: CheckConfigKeysOptions,
): Record<string, unknown> => {
  const valid = [...modelConfigKeys(options.spec), ...COMMON_KEYS];
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const kind = kindOf(key, valid);
    if (kind === 'valid') kept[key] = value;
    if (kind === 'unknown') throw unknownKeyError(key, valid, whereOf(options));
    const conditional = CONDITIONAL_NF_KEYS[key];
    if (kind === 'conditional' && conditional !== undefined && !conditional.accepts(value)) {
      throw new ConfigError(
        `${whereOf(options)}: config key '${key}' = ${JSON.stringify(value)} is not supported — ${conditional.reason}`,
      );
    }
  }
  return kept;
};

/**
 * Throws a ConfigError naming the first unknown key among `keys` (with the nearest valid key);
 * for checks before values exist, such as an Auto search space whose values are still ranges.
 */
export const checkConfigKeyNames = (keys: Iterable<string>, options: CheckConfigKeysOptions): void => {
  const valid = [...modelConfigKeys(options.spec), ...COMMON_KEYS];
  for (const key of keys) {
    if (kindOf(key, valid) === 'unknown') throw unknownKeyError(key, valid, whereOf(options));
  }
};

/** The valid key closest to `key` by edit distance, when it is close enough to be a likely typo. */
export const nearestKey = (key: string, candidates: readonly string[]): string | undefined => {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    // A key that contains or is contained in a valid one (n_pool_kernel ⊂ n_pool_kernel_size) counts
    // as close; short keys (h) would otherwise match everything.
    const nested = Math.min(key.length, name.length) >= 4 && (name.includes(key) || key.includes(name));
    const distance = nested ? 1 : editDistance(key, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(key.length / 3))
    ? best.name
    : undefined;
};

/** Levenshtein distance (insertions, deletions, substitutions), two rolling rows. */
const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};
