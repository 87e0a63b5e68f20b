/**
 * Helpers every sampler shares: which parameters are active, walking a space in order, the
 * unit-cube transform (how random, QMC and CMA-ES map [0,1) to a parameter), grids of finite spaces.
 */
import { ConfigError } from '@nflab/contracts';
import type { JsonValue, NumericParam, ParamSpec, Params, SearchSpace } from './space.js';
import { jsonKey } from './space.js';

/** True when `spec`'s condition (if any) holds for the values chosen so far. */
export const isActive = (spec: ParamSpec, chosen: Params): boolean => {
  if (!spec.when) return true;
  if (!(spec.when.param in chosen)) return false;
  const key = jsonKey(chosen[spec.when.param]);
  return spec.when.in.some((v) => jsonKey(v) === key);
};

/** Chooses one parameter's value given the values already chosen. */
export type PickParam = (
  name: string,
  spec: Exclude<ParamSpec, { kind: 'fixed' }>,
  chosen: Params,
) => JsonValue;

/**
 * Walks the space in key order (parents come first, the schema enforces it), skipping inactive
 * parameters; `fixed` values (enqueued trials) win over `pick`.
 */
export const resolveParams = (space: SearchSpace, fixed: Params, pick: PickParam): Params => {
  const chosen: Record<string, JsonValue> = {};
  for (const [name, spec] of Object.entries(space)) {
    if (!isActive(spec, chosen)) continue;
    if (name in fixed) chosen[name] = fixed[name] as JsonValue;
    else if (spec.kind === 'fixed') chosen[name] = spec.value;
    else chosen[name] = pick(name, spec, chosen);
  }
  return chosen;
};

/** The effective step of a numeric parameter: ints default to 1, continuous floats have none. */
export const stepOf = (spec: NumericParam): number | undefined =>
  spec.step ?? (spec.kind === 'int' ? 1 : undefined);

const decimalsOf = (x: number): number => {
  const text = String(x);
  const e = text.indexOf('e-');
  if (e >= 0) return Number(text.slice(e + 2)) + (text.slice(0, e).split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
};

/** Number of grid points of a stepped parameter: low, low+step, … ≤ high. */
export const gridSize = (spec: NumericParam, step: number): number =>
  Math.floor((spec.high - spec.low) / step + 1e-9) + 1;

/** Grid point k of a stepped parameter, rounded so 0.1-steps stay 0.3 and not 0.30000000000000004. */
export const gridPoint = (spec: NumericParam, step: number, k: number): number => {
  const raw = spec.low + k * step;
  if (spec.kind === 'int') return Math.round(raw);
  const digits = Math.min(15, Math.max(decimalsOf(spec.low), decimalsOf(step)));
  return Number(raw.toFixed(digits));
};

/** Snaps a number onto a stepped parameter's grid, clipped to its ends. */
export const snapToGrid = (spec: NumericParam, step: number, x: number): number => {
  const k = Math.min(gridSize(spec, step) - 1, Math.max(0, Math.round((x - spec.low) / step)));
  return gridPoint(spec, step, k);
};

/** Bounds of a numeric parameter in its search coordinates (log if `log`, widened by step/2 if stepped). */
export const searchBounds = (spec: NumericParam): { low: number; high: number } => {
  const step = stepOf(spec);
  let low = spec.low;
  let high = step === undefined ? spec.high : gridPoint(spec, step, gridSize(spec, step) - 1);
  if (step !== undefined) {
    low -= step / 2;
    high += step / 2;
  }
  return spec.log ? { low: Math.log(low), high: Math.log(high) } : { low, high };
};

/** Maps a search coordinate (see {@link searchBounds}) back to a parameter value. */
export const fromSearchCoord = (spec: NumericParam, x: number): number => {
  const value = spec.log ? Math.exp(x) : x;
  const step = stepOf(spec);
  if (step === undefined) return Math.min(spec.high, Math.max(spec.low, value));
  return snapToGrid(spec, step, value);
};

/** Maps a parameter value to its search coordinate. */
export const toSearchCoord = (spec: NumericParam, value: number): number =>
  spec.log ? Math.log(value) : value;

/** Maps u in [0,1) to a value: uniform (or log-uniform) over the range, uniform over a grid's points. */
export const fromUnit = (spec: Exclude<ParamSpec, { kind: 'fixed' }>, u: number): JsonValue => {
  if (spec.kind === 'categorical')
    return spec.choices[Math.min(spec.choices.length - 1, Math.floor(u * spec.choices.length))] as JsonValue;
  const { low, high } = searchBounds(spec);
  return fromSearchCoord(spec, low + u * (high - low));
};

/** Inverse of {@link fromUnit} for numeric values (the centre of a grid point's cell). */
export const toUnit = (spec: NumericParam, value: number): number => {
  const { low, high } = searchBounds(spec);
  return high === low ? 0.5 : (toSearchCoord(spec, value) - low) / (high - low);
};

/** Index of a categorical value among `choices` (JSON-equal), or -1. */
export const choiceIndex = (choices: readonly JsonValue[], value: JsonValue | undefined): number => {
  const key = jsonKey(value);
  return choices.findIndex((c) => jsonKey(c) === key);
};

/** True when `value` is a legal value of `spec`. */
export const contains = (spec: ParamSpec, value: JsonValue | undefined): boolean => {
  switch (spec.kind) {
    case 'fixed':
      return jsonKey(value) === jsonKey(spec.value);
    case 'categorical':
      return choiceIndex(spec.choices, value) >= 0;
    default: {
      if (typeof value !== 'number' || value < spec.low || value > spec.high) return false;
      if (spec.kind === 'int' && !Number.isInteger(value)) return false;
      const step = stepOf(spec);
      if (step === undefined) return true;
      const k = (value - spec.low) / step;
      return Math.abs(k - Math.round(k)) < 1e-6;
    }
  }
};

/** Every value of a finite parameter; throws ConfigError for a continuous float. */
export const finiteValues = (name: string, spec: ParamSpec, limit = 100_000): JsonValue[] => {
  if (spec.kind === 'fixed') return [spec.value];
  if (spec.kind === 'categorical') return [...spec.choices];
  const step = stepOf(spec);
  if (step === undefined) {
    throw new ConfigError(
      `parameter "${name}" is a continuous float; grid and brute-force search need a finite space (give it a step, or make it int/categorical)`,
    );
  }
  const n = gridSize(spec, step);
  if (n > limit)
    throw new ConfigError(
      `parameter "${name}" has ${n} values; grid search allows at most ${limit} per parameter`,
    );
  return Array.from({ length: n }, (_, k) => gridPoint(spec, step, k));
};

/**
 * Every complete assignment of a finite space, conditional parameters expanded only where active,
 * in a fixed order (first parameter slowest). Throws ConfigError past `limit` combinations.
 */
export const enumerateSpace = (space: SearchSpace, limit = 1_000_000): Params[] => {
  let partial: Record<string, JsonValue>[] = [{}];
  for (const [name, spec] of Object.entries(space)) {
    const values = finiteValues(name, spec);
    const next: Record<string, JsonValue>[] = [];
    for (const chosen of partial) {
      if (!isActive(spec, chosen)) next.push(chosen);
      else for (const v of values) next.push({ ...chosen, [name]: v });
      if (next.length > limit)
        throw new ConfigError(
          `search space has more than ${limit} combinations; too many for grid or brute-force search`,
        );
    }
    partial = next;
  }
  return partial;
};
