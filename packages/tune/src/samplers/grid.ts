/**
 * Grid search (Optuna's GridSampler; Ray's grid_search): every point of a finite space exactly
 * once. Points are claimed through storage, so parallel workers sharing a study never evaluate a
 * point twice; once all are claimed, sampling throws SearchExhausted and optimize() stops.
 */
import { ConfigError } from '@nflab/contracts';
import { enumerateSpace } from '../params.js';
import { Rng } from '@nflab/contracts';
import type { JsonValue, Params, SearchSpace } from '../space.js';
import type { FrozenTrial } from '../trial.js';
import { jsonKey } from '../space.js';
import { spaceKey } from './types.js';
import type { Sampler, SampleContext } from './types.js';
import { SearchExhausted } from './types.js';
import { z } from 'zod';
import { defineSampler, seedOption } from './define-sampler.js';

/** Options of the grid sampler. */
export interface GridSamplerOptions {
  /** Order points are visited in; the same seed gives every worker the same order. @default 0 */
  readonly seed?: number;
  /** Visit points in enumeration order instead of a seeded shuffle. @default false */
  readonly ordered?: boolean;
}

/**
 * Claims the first free point of `points` (in `order`) that agrees with the trial's fixed values;
 * points other trials recorded are skipped without a storage round trip. SearchExhausted if none.
 */
export const claimPoint = async (
  ctx: SampleContext,
  prefix: string,
  points: readonly Params[],
  order: readonly number[],
): Promise<Params> => {
  const fixed = Object.entries(ctx.fixed).map(([k, v]) => [k, jsonKey(v)] as const);
  const matches = (p: Params): boolean => fixed.every(([k, key]) => jsonKey(p[k]) === key);
  if (fixed.length > 0 && !points.some(matches)) {
    throw new ConfigError(
      `${prefix}: enqueued values ${JSON.stringify(ctx.fixed)} match no point of the search space`,
    );
  }
  const taken = new Set(ctx.trials.map((t) => t.systemAttrs[`${prefix}_id`]));
  for (const i of order) {
    if (taken.has(i) || !matches(points[i] as Params)) continue;
    if (await ctx.claim(`${prefix}:${jsonKey(points[i] as JsonValue)}`)) {
      await ctx.setSystemAttr(`${prefix}_id`, i);
      return points[i] as Params;
    }
  }
  throw new SearchExhausted(`${prefix}: all ${points.length} points of the search space are taken`);
};

/** True when trials hold a claimed id for every one of `count` points. */
export const allTaken = (prefix: string, count: number, trials: readonly FrozenTrial[]): boolean =>
  new Set(
    trials.flatMap((t) =>
      typeof t.systemAttrs[`${prefix}_id`] === 'number' ? [t.systemAttrs[`${prefix}_id`]] : [],
    ),
  ).size >= count;

/** Creates a grid sampler. */
export const createGridSampler = (options: GridSamplerOptions = {}): Sampler => {
  const seed = options.seed ?? 0;
  const cache = new Map<string, { points: Params[]; order: number[] }>();
  const planFor = (space: SearchSpace): { points: Params[]; order: number[] } => {
    let plan = cache.get(spaceKey(space));
    if (!plan) {
      const points = enumerateSpace(space);
      const order = options.ordered
        ? points.map((_, i) => i)
        : new Rng(seed, 'grid').permutation(points.length);
      plan = { points, order };
      cache.set(spaceKey(space), plan);
    }
    return plan;
  };
  return {
    id: 'grid',
    async sample(ctx) {
      const plan = planFor(ctx.space);
      return claimPoint(ctx, 'grid', plan.points, plan.order);
    },
    isExhausted: (space, trials) => allTaken('grid', planFor(space).points.length, trials),
  };
};

/** The `grid` sampler; option `ordered` as GridSamplerOptions.ordered. */
export const grid = defineSampler({
  id: 'grid',
  exhaustive: true,
  description: 'Every point of a finite space exactly once, shared safely between workers.',
  options: z.object({ ordered: z.boolean().optional() }).strict(),
  create: (o, seed) =>
    createGridSampler({ ...seedOption(seed), ...(o.ordered === undefined ? {} : { ordered: o.ordered }) }),
});
