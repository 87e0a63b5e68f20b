/**
 * Hyperband (Optuna's HyperbandPruner): several successive-halving brackets with different early
 * stopping rates; each trial belongs to one bracket (a hash of study name and trial number,
 * weighted by each bracket's budget) and competes only with trials of its bracket.
 */
import { ConfigError } from '@nflab/contracts';
import { lastStep } from '../trial.js';
import { createSuccessiveHalvingPruner } from './successive-halving.js';
import type { Pruner } from './types.js';
import { z } from 'zod';
import { defined, definePruner, int0, int1 } from './define-pruner.js';

/** Options of the hyperband pruner. */
export interface HyperbandOptions {
  /** @default 1 */
  readonly minResource?: number;
  /** Largest step; 'auto' = last step of the longest completed trial + 1. @default 'auto' */
  readonly maxResource?: number | 'auto';
  /** @default 3 */
  readonly reductionFactor?: number;
  /** @default 0 */
  readonly bootstrapCount?: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of a string's UTF-8 bytes (zlib's), the hash Optuna assigns brackets with. */
export const crc32 = (text: string): number => {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text))
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};

/** Creates a hyperband pruner. */
export const createHyperbandPruner = (options: HyperbandOptions = {}): Pruner => {
  const { minResource = 1, maxResource = 'auto', reductionFactor = 3, bootstrapCount = 0 } = options;
  if (!(Number.isInteger(minResource) && minResource >= 1))
    throw new ConfigError(`hyperband: min_resource must be an integer >= 1, got ${minResource}`);
  if (maxResource !== 'auto' && !(Number.isInteger(maxResource) && maxResource >= minResource))
    throw new ConfigError(
      `hyperband: max_resource must be 'auto' or an integer >= min_resource, got ${maxResource}`,
    );
  if (bootstrapCount > 0 && maxResource === 'auto')
    throw new ConfigError('hyperband: bootstrap_count > 0 needs an explicit max_resource');
  let brackets: { budgets: number[]; total: number; pruners: Pruner[] } | undefined;

  const init = (max: number): void => {
    const n = Math.floor(Math.log(max / minResource) / Math.log(reductionFactor) + 1e-9) + 1;
    const budgets = Array.from({ length: n }, (_, b) => {
      const s = n - 1 - b;
      return Math.ceil((n * reductionFactor ** s) / (s + 1));
    });
    const pruners = budgets.map((_, b) =>
      createSuccessiveHalvingPruner(
        { minResource, reductionFactor, minEarlyStoppingRate: b, bootstrapCount },
        'hyperband',
      ),
    );
    brackets = { budgets, total: budgets.reduce((a, b) => a + b, 0), pruners };
  };

  const bracketOf = (studyName: string, trialNumber: number): number => {
    if (!brackets) return 0;
    let n = crc32(`${studyName}_${trialNumber}`) % brackets.total;
    for (let b = 0; b < brackets.budgets.length; b++) {
      n -= brackets.budgets[b] as number;
      if (n < 0) return b;
    }
    return brackets.budgets.length - 1;
  };

  return {
    id: 'hyperband',
    async prune(ctx) {
      if (!brackets) {
        if (maxResource === 'auto') {
          const steps = (await ctx.trials())
            .filter((t) => t.state === 'COMPLETE')
            .flatMap((t) => {
              const s = lastStep(t);
              return s === undefined ? [] : [s];
            });
          if (steps.length === 0) return false;
          init(Math.max(...steps) + 1);
        } else init(maxResource);
      }
      const bracket = bracketOf(ctx.studyName, ctx.trial.number);
      const pruner = brackets?.pruners[bracket];
      if (!pruner) return false;
      return pruner.prune({
        ...ctx,
        trials: async () =>
          (await ctx.trials()).filter((t) => bracketOf(ctx.studyName, t.number) === bracket),
      });
    },
  };
};

/** `pruner_options` of hyperband, Optuna's HyperbandPruner names. */
export const hyperbandOptionsShape = {
  min_resource: int1,
  max_resource: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
  reduction_factor: z.number().int().min(2).optional(),
  bootstrap_count: int0,
};

/** The `hyperband` pruner. */
export const hyperband = definePruner({
  id: 'hyperband',
  description: 'Hyperband: successive-halving brackets with different early-stopping rates.',
  options: z.object(hyperbandOptionsShape).strict(),
  create: (o) =>
    createHyperbandPruner(
      defined({
        minResource: o.min_resource,
        maxResource: o.max_resource,
        reductionFactor: o.reduction_factor,
        bootstrapCount: o.bootstrap_count,
      }),
    ),
});
