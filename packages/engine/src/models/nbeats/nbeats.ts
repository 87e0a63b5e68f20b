/**
 * N-BEATS: deep stacks of fully connected blocks with backward and forward residual links; trend
 * and seasonality stacks project onto fixed bases for an interpretable decomposition.
 * @see Oreshkin et al. (2020), "N-BEATS: Neural basis expansion analysis for interpretable time series forecasting", ICLR. https://arxiv.org/abs/1905.10437
 */
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { nbeatsSearchSpace } from './search-space.js';
import { createParamStore } from '../../nn/params.js';
import { checkBlocksPerStack, createBlockMlp, STACKED_BLOCK_FIELDS } from '../block-mlp.js';
import { checkDims, toNetwork } from '../network.js';
import { runResidualStack, type ResidualBlock } from '../residual-stack.js';
import { identityHead, seasonalityHead, trendHead, type BasisHead, type HeadDims } from './heads.js';
import { MIN_N_BASIS, TREND_BASES } from './trend-basis.js';

/** Stack kinds of N-BEATS. */
export const NBEATS_STACK_TYPES = ['identity', 'trend', 'seasonality'] as const;

/** N-BEATS's own hyperparameters, with NeuralForecast v3's names and defaults. */
export const nbeatsConfigSchema = z
  .object({
    /** Harmonics of the seasonality stack. @default 2 */
    n_harmonics: z.number().int().min(1).default(2),
    /** Deprecated in NeuralForecast v3, which ignores it in favour of `n_basis`; accepted so v2-era specs parse. @default null */
    n_polynomials: z.number().int().min(0).nullable().default(null),
    /** Degree of the trend basis (`n_basis + 1` functions). @default 2 */
    n_basis: z.number().int().min(0).default(2),
    /** Trend basis family. @default 'polynomial' */
    basis: z.enum(TREND_BASES).default('polynomial'),
    /** @default ['identity', 'trend', 'seasonality'] */
    stack_types: z
      .array(z.enum(NBEATS_STACK_TYPES))
      .min(1)
      .default((): (typeof NBEATS_STACK_TYPES)[number][] => ['identity', 'trend', 'seasonality']),
    ...STACKED_BLOCK_FIELDS,
  })
  .superRefine((c, ctx) => {
    checkBlocksPerStack(c, ctx);
    if (c.stack_types.includes('trend') && c.n_basis < MIN_N_BASIS[c.basis]) {
      ctx.addIssue({
        code: 'custom',
        path: ['n_basis'],
        message: `basis '${c.basis}' needs n_basis >= ${MIN_N_BASIS[c.basis]}, got ${c.n_basis}`,
      });
    }
  });

/** Parsed N-BEATS config. */
export type NbeatsConfig = z.output<typeof nbeatsConfigSchema>;

const exogenous = { futr: false, hist: false, stat: false } as const;

/** Rejects h = 1 with trend or seasonality stacks, whose bases are degenerate there (NeuralForecast does too). */
export function checkBasisHorizon(label: string, h: number, stackTypes: readonly string[]): void {
  const bad = stackTypes.find((s) => s === 'trend' || s === 'seasonality');
  if (h === 1 && bad !== undefined) {
    throw new ConfigError(
      `${label}: h=1 is incompatible with a '${bad}' stack; use stack_types of 'identity' only for h=1`,
    );
  }
}

/** NeuralForecast's `NBEATS` (univariate, no exogenous). */
export const nbeats = {
  id: 'nbeats',
  label: 'NBEATS',
  description: 'Neural basis expansion analysis for interpretable forecasting (Oreshkin et al., ICLR 2020).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: nbeatsConfigSchema,
  commonDefaults: { max_steps: 1000, learning_rate: 1e-3, num_lr_decays: 3, windows_batch_size: 1024 },
  defaultSearchSpace: nbeatsSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'NBEATS', exogenous }, dims);
    checkBasisHorizon('NBEATS', dims.h, config.stack_types);
    const store = createParamStore('nbeats', seed);
    const headDims: HeadDims = dims;
    const blocks: ResidualBlock[] = [];
    config.stack_types.forEach((type, i) => {
      const head: BasisHead =
        type === 'identity'
          ? identityHead(headDims)
          : type === 'trend'
            ? trendHead(headDims, config.basis, config.n_basis)
            : seasonalityHead(headDims, config.n_harmonics);
      let shared: ResidualBlock | undefined;
      for (let j = 0; j < (config.n_blocks[i] as number); j += 1) {
        if (config.shared_weights && shared !== undefined) {
          blocks.push(shared);
          continue;
        }
        const trunk = createBlockMlp(store, {
          path: `stack_${i}/block_${j}`,
          inFeatures: dims.inputSize,
          mlpUnits: config.mlp_units,
          nTheta: head.nTheta,
          activation: config.activation,
          dropout: config.dropout_prob_theta,
        });
        shared = (residuals, batch, ctx) => head.apply(trunk.apply(residuals, ctx), batch); // [B, L] -> theta -> heads
        blocks.push(shared);
      }
    });
    return toNetwork(store, (batch, ctx) =>
      runResidualStack(batch, ctx, { blocks, h: dims.h, nOutputs: dims.nOutputs }),
    );
  },
} as const satisfies ModelSpec<NbeatsConfig>;
