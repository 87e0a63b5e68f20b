/**
 * FEDformer: the decomposition encoder–decoder of Autoformer with frequency-enhanced blocks in
 * place of attention — a few Fourier modes of each head mixed by learned complex matrices, and a
 * Fourier cross-attention between the decoder's and the encoder's modes.
 * @see Zhou et al. (2022), "FEDformer: Frequency Enhanced Decomposed Transformer for Long-term Series Forecasting", ICML. https://arxiv.org/abs/2201.12740
 */
import { z } from 'zod';
import { ConfigError, Rng } from '@nflab/contracts';
import type { ModelSpec } from '../../model/types.js';
import { createParamStore } from '../../nn/params.js';
import { decompositionFormerFields } from '../decomposition-former-config.js';
import { TRANSFORMER_COMMON_DEFAULTS } from '../transformer-defaults.js';
import { buildDecompositionFormer } from '../decomposition-former.js';
import { checkDims, toNetwork } from '../network.js';
import { createFourierBlock, createFourierCrossAttention, FOURIER_HEADS } from './fourier-block.js';
import { frequencyModes, MODE_SELECT_METHODS } from './frequency-modes.js';
import { fedformerSearchSpace } from './search-space.js';

/** FEDformer's own hyperparameters, with NeuralForecast's names and defaults. */
export const fedformerConfigSchema = z.object({
  ...decompositionFormerFields,
  /**
   * Width of the embeddings and blocks; a multiple of 8, as the Fourier weights are laid out for
   * 8 heads of hidden_size/8 channels. @default 128
   */
  hidden_size: z
    .number()
    .int()
    .min(8)
    .refine(
      (d) => d % FOURIER_HEADS === 0,
      'hidden_size must be a multiple of 8 (8 heads of hidden_size/8 channels)',
    )
    .default(128),
  /**
   * Frequency-enhanced block kind. NeuralForecast 3.2 implements only 'Fourier' (it raises on any
   * other); 'Wavelets' (the paper's multiwavelet blocks) is named so the error says so. @default 'Fourier'
   */
  version: z.enum(['Fourier', 'Wavelets']).default('Fourier'),
  /** Fourier modes kept per block, at most ⌊L/2⌋ of a length-L sequence. @default 64 */
  modes: z.number().int().min(1).default(64),
  /** 'random': a seeded random subset of the bins; 'low': the lowest ones. @default 'random' */
  mode_select: z.enum(MODE_SELECT_METHODS).default('random'),
  /** Attention heads; NeuralForecast requires 8 (the Fourier weights' layout). @default 8 */
  n_head: z
    .number()
    .int()
    .refine((n) => n === FOURIER_HEADS, 'FEDformer requires n_head = 8, as NeuralForecast does')
    .default(FOURIER_HEADS),
});

/** Parsed FEDformer config. */
export type FedformerConfig = z.output<typeof fedformerConfigSchema>;

/** NeuralForecast's capability table row: future exogenous only (as calendar-like marks). */
const exogenous = { futr: true, hist: false, stat: false } as const;

/** NeuralForecast's `FEDformer` (its Fourier version, the only one it implements). */
export const fedformer = {
  id: 'fedformer',
  label: 'FEDformer',
  description:
    'FEDformer: decomposition transformer with Fourier-enhanced blocks over a few frequency modes (Zhou et al., ICML 2022).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  categoricalExogenous: true,
  configSchema: fedformerConfigSchema,
  commonDefaults: TRANSFORMER_COMMON_DEFAULTS,
  defaultSearchSpace: fedformerSearchSpace,
  build(config, dims, seed) {
    checkDims({ label: 'FEDformer', exogenous }, dims);
    if (config.version !== 'Fourier') {
      throw new ConfigError(
        `FEDformer: version '${config.version}' is not supported (NeuralForecast 3.2 implements only 'Fourier' too); use version: 'Fourier'`,
      );
    }
    const { h, inputSize: L } = dims;
    if (L < 2)
      throw new ConfigError(`FEDformer: input_size must be at least 2 to keep a Fourier mode, got ${L}`);
    // NeuralForecast sizes the decoder blocks by input_size // 2 + h (label_len rounds up instead).
    const decoderLength = Math.floor(L / 2) + h;
    // One stream for the four draws, in NeuralForecast's order: encoder, decoder, cross q, cross kv.
    const modeRng = new Rng(seed, 'fedformer/modes');
    const choose = (length: number) => frequencyModes(length, config.modes, config.mode_select, modeRng);
    const encoderModes = choose(L);
    const decoderModes = choose(decoderLength);
    const crossQueryModes = choose(decoderLength);
    const crossKeyModes = choose(L);
    const store = createParamStore('fedformer', seed);
    const d = config.hidden_size;
    // NeuralForecast creates one block of each kind and hands the same module to every layer, so
    // the encoder layers share one FourierBlock's weights (and so do decoder layers).
    const encoderSelf = createFourierBlock(store, {
      path: 'encoder/fourier_block',
      hiddenSize: d,
      modes: encoderModes,
    });
    const decoderSelf = createFourierBlock(store, {
      path: 'decoder/fourier_block',
      hiddenSize: d,
      modes: decoderModes,
    });
    const decoderCross = createFourierCrossAttention(store, {
      path: 'decoder/fourier_cross_attention',
      hiddenSize: d,
      queryModes: crossQueryModes,
      keyModes: crossKeyModes,
    });
    const body = buildDecompositionFormer(store, {
      label: 'FEDformer',
      config,
      dims,
      attentions: {
        encoderSelf: () => encoderSelf.attention,
        decoderSelf: () => decoderSelf.attention,
        decoderCross: () => decoderCross.attention,
      },
    });
    return toNetwork(store, body);
  },
} as const satisfies ModelSpec<FedformerConfig>;
