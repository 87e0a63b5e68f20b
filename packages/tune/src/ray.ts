/**
 * Ray Tune's search-space functions, converted to this package's primitives with Ray's exact
 * meaning. The trap is `randint(low, high)`: Ray's high is EXCLUSIVE (numpy convention), ours is
 * inclusive, so `randint(1, 20)` is `{ kind: 'int', low: 1, high: 19 }`.
 */
import { ConfigError } from '@nflab/contracts';
import type { CategoricalParam, FloatParam, IntParam, JsonValue } from './space.js';

const check = (fn: string, ok: boolean, detail: string): void => {
  if (!ok) throw new ConfigError(`ray.${fn}: ${detail}`);
};

/** Multiples of q inside [low, high], as Ray's quantisation rounds to integer multiples of q. */
const quantisedBounds = (fn: string, low: number, high: number, q: number): { low: number; high: number } => {
  check(fn, q > 0, `q must be > 0, got ${q}`);
  const lo = Math.ceil(low / q - 1e-9) * q;
  const hi = Math.floor(high / q + 1e-9) * q;
  check(fn, lo <= hi, `no multiple of q=${q} lies in [${low}, ${high}]`);
  const digits = Math.min(15, (String(q).split('.')[1] ?? '').length);
  return { low: Number(lo.toFixed(digits)), high: Number(hi.toFixed(digits)) };
};

/** `tune.uniform(low, high)`: float in [low, high]. */
export const uniform = (low: number, high: number): FloatParam => {
  check('uniform', low <= high, `low (${low}) must be <= high (${high})`);
  return { kind: 'float', low, high };
};

/** `tune.loguniform(low, high)`: float in [low, high], uniform in log space. */
export const loguniform = (low: number, high: number): FloatParam => {
  check('loguniform', low > 0 && low <= high, `needs 0 < low <= high, got ${low}, ${high}`);
  return { kind: 'float', low, high, log: true };
};

/** `tune.quniform(low, high, q)`: multiples of q in [low, high] (Ray's quantisation includes high). */
export const quniform = (low: number, high: number, q: number): FloatParam => ({
  kind: 'float',
  ...quantisedBounds('quniform', low, high, q),
  step: q,
});

/** `tune.qloguniform(low, high, q)`: multiples of q in [low, high], log-uniform before rounding. */
export const qloguniform = (low: number, high: number, q: number): FloatParam => {
  check('qloguniform', low > 0, `low must be > 0, got ${low}`);
  return { kind: 'float', ...quantisedBounds('qloguniform', low, high, q), log: true, step: q };
};

/** `tune.randint(low, high)`: integer in [low, high) — high EXCLUSIVE, so our high is high - 1. */
export const randint = (low: number, high: number): IntParam => {
  check(
    'randint',
    Number.isInteger(low) && Number.isInteger(high) && low < high,
    `needs integers low < high (high is exclusive), got ${low}, ${high}`,
  );
  return { kind: 'int', low, high: high - 1 };
};

/** `tune.lograndint(low, high)`: integer in [low, high) log-uniform — high EXCLUSIVE. */
export const lograndint = (low: number, high: number): IntParam => {
  check(
    'lograndint',
    Number.isInteger(low) && Number.isInteger(high) && low >= 1 && low < high,
    `needs integers 1 <= low < high (high is exclusive), got ${low}, ${high}`,
  );
  return { kind: 'int', low, high: high - 1, log: true };
};

/** `tune.qrandint(low, high, q)`: multiples of q in [low, high] — Ray documents high as INCLUSIVE here. */
export const qrandint = (low: number, high: number, q = 1): IntParam => {
  check('qrandint', Number.isInteger(q) && q >= 1, `q must be a positive integer, got ${q}`);
  const b = quantisedBounds('qrandint', low, high, q);
  return { kind: 'int', low: Math.round(b.low), high: Math.round(b.high), step: q };
};

/** `tune.choice(categories)`: one of the categories (lists allowed). */
export const choice = (categories: readonly JsonValue[]): CategoricalParam => {
  check('choice', categories.length > 0, 'needs at least one category');
  return { kind: 'categorical', choices: [...categories] };
};

/** `tune.grid_search(values)`: a categorical the grid sampler enumerates. */
export const gridSearch = (values: readonly JsonValue[]): CategoricalParam => choice(values);
