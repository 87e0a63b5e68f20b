/**
 * NBEATSx: N-BEATS with exogenous variables in every block's input and an optional exogenous
 * stack whose basis is the covariates themselves.
 * @see Olivares et al. (2023), "Neural basis expansion analysis with exogenous variables: Forecasting electricity prices with NBEATSx", IJF. https://arxiv.org/abs/2104.05522
 */
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import type { ModelSpec } from '../../model/types.js';
import { nbeatsxSearchSpace } from './search-space.js';
import { createParamStore } from '../../nn/params.js';
import { checkBlocksPerStack, createBlockMlp, STACKED_BLOCK_FIELDS } from '../block-mlp.js';
import { identityHead, seasonalityHead, trendHead, type BasisHead } from '../nbeats/heads.js';
import { checkBasisHorizon } from '../nbeats/nbeats.js';
import { flattenWindow, flatWindowSize } from '../flat-window.js';
import { checkDims, toNetwork } from '../network.js';
import { runResidualStack, type ResidualBlock } from '../residual-stack.js';
import { exogenousHead } from './exogenous-head.js';

/** Stack kinds of NBEATSx. */
export const NBEATSX_STACK_TYPES = ['identity', 'trend', 'seasonality', 'exogenous'] as const;

/** NBEATSx's own hyperparameters, with NeuralForecast's names and defaults. */
export const nbeatsxConfigSchema = z
  .object({
    /** Harmonics of the seasonality stack. @default 2 */
    n_harmonics: z.number().int().min(1).default(2),
    /** Degree of the polynomial trend basis. @default 2 */
    n_polynomials: z.number().int().min(0).default(2),
    /** @default ['identity', 'trend', 'seasonality'] */
    stack_types: z
      .array(z.enum(NBEATSX_STACK_TYPES))
      .min(1)
      .default((): (typeof NBEATSX_STACK_TYPES)[number][] => ['identity', 'trend', 'seasonality']),
    ...STACKED_BLOCK_FIELDS,
  })
  .superRefine((c, ctx) => {
    checkBlocksPerStack(c, ctx);
  });

/** Parsed NBEATSx config. */
export type NbeatsxConfig = z.output<typeof nbeatsxConfigSchema>;

const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast's `NBEATSx`. */
export const nbeatsx = {
  id: 'nbeatsx',
  label: 'NBEATSx',
  description: 'N-BEATS with exogenous variables (Olivares et al., IJF 2023).',
  family: 'mlp',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: nbeatsxConfigSchema,
  commonDefaults: { max_steps: 1000, learning_rate: 1e-3, num_lr_decays: 3, windows_batch_size: 1024 },
  defaultSearchSpace: nbeatsxSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'NBEATSx', exogenous }, dims);
    checkBasisHorizon('NBEATSx', dims.h, config.stack_types);
    if (config.stack_types.includes('exogenous') && dims.futrExogSize + dims.statExogSize === 0) {
      throw new ConfigError(
        "NBEATSx: an 'exogenous' stack needs futr_exog_list or stat_exog_list columns; none were given",
      );
    }
    const store = createParamStore('nbeatsx', seed);
    const blocks: ResidualBlock[] = [];
    config.stack_types.forEach((type, i) => {
      const head: BasisHead =
        type === 'identity'
          ? identityHead(dims)
          : type === 'trend'
            ? trendHead(dims, 'polynomial', config.n_polynomials)
            : type === 'seasonality'
              ? seasonalityHead(dims, config.n_harmonics)
              : exogenousHead(dims);
      let shared: ResidualBlock | undefined;
      for (let j = 0; j < (config.n_blocks[i] as number); j += 1) {
        if (config.shared_weights && shared !== undefined) {
          blocks.push(shared);
          continue;
        }
        const trunk = createBlockMlp(store, {
          path: `stack_${i}/block_${j}`,
          inFeatures: flatWindowSize(dims),
          mlpUnits: config.mlp_units,
          nTheta: head.nTheta,
          activation: config.activation,
          dropout: config.dropout_prob_theta,
        });
        shared = (residuals, batch, ctx) => {
          // [ residuals L | hist L*X | futr (L+H)*F | stat S ], exogenous in time order as NeuralForecast passes them.
          const x = flattenWindow(batch, dims, 'NBEATSx', residuals); // [B, in]
          return head.apply(trunk.apply(x, ctx), batch);
        };
        blocks.push(shared);
      }
    });
    return toNetwork(store, (batch, ctx) =>
      runResidualStack(batch, ctx, { blocks, h: dims.h, nOutputs: dims.nOutputs }),
    );
  },
} as const satisfies ModelSpec<NbeatsxConfig>;
