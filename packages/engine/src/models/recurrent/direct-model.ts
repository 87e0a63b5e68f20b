/**
 * The one model NeuralForecast 3.2's RNN, LSTM and GRU share in their direct (`recurrent=False`)
 * form: a stacked recurrent encoder over the input window, the last h states (or an upsampling of
 * the time axis) joined with the horizon's futr columns, and an MLP decoder. The three classes
 * differ only in the cell (`nn.RNN`/`nn.LSTM`/`nn.GRU`) and a few defaults, so each model folder
 * gives its cell, schema and search space and this factory builds the rest.
 */
import type { z } from 'zod';
import type { SearchSpace } from '@nflab/tune';
import { ConfigError } from '@nflab/contracts';
import type { ModelSpec } from '../../model/types.js';
import { createParamStore, type ParamStore } from '../../nn/params.js';
import { checkDims, toNetwork } from '../network.js';
import { createDirectDecoder, encoderInput, encoderInputSize } from './direct.js';
import { unrollStack, type RecurrentLayer } from './unroll.js';

/** The hyperparameters the direct form reads; every model's schema has them under NeuralForecast's names. */
export interface DirectRecurrentConfig extends Record<string, unknown> {
  readonly encoder_n_layers: number;
  readonly encoder_hidden_size: number;
  readonly encoder_bias: boolean;
  readonly encoder_dropout: number;
  readonly decoder_hidden_size: number;
  readonly decoder_layers: number;
  readonly recurrent: boolean;
}

/** What one encoder layer is built from. */
export interface RecurrentCellOptions {
  /** Variable path, `hist_encoder/layer_<i>`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
}

/** Options of {@link createDirectRecurrentModel}. */
export interface DirectRecurrentModelOptions<Id extends string, Config extends DirectRecurrentConfig> {
  /** Persisted id (`'lstm'`), also the variable-name prefix. */
  readonly id: Id;
  /** NeuralForecast class name (`'LSTM'`). */
  readonly label: string;
  /** One line with the paper. */
  readonly description: string;
  readonly configSchema: z.ZodType<Config>;
  readonly defaultSearchSpace: (h: number) => SearchSpace;
  /** Creates encoder layer i (layer 0 reads the encoder input, the others the layer below). */
  createCell(store: ParamStore, options: RecurrentCellOptions): RecurrentLayer;
}

/**
 * Training defaults of the RNN, LSTM and GRU signatures (identical in NeuralForecast 3.2); every
 * other common setting keeps the engine's default, which is theirs too.
 */
export const recurrentCommonDefaults = {
  max_steps: 1000,
  learning_rate: 1e-3,
  num_lr_decays: -1,
  batch_size: 32,
  windows_batch_size: 128,
  inference_windows_batch_size: 1024,
  scaler_type: 'robust',
} as const;

/** NeuralForecast's EXOGENOUS_FUTR/HIST/STAT, all true for the three recurrent models. */
const exogenous = { futr: true, hist: true, stat: true } as const;

/** Builds the ModelSpec of a direct recurrent model around its cell. */
export function createDirectRecurrentModel<Id extends string, Config extends DirectRecurrentConfig>(
  options: DirectRecurrentModelOptions<Id, Config>,
): ModelSpec<Config> & { readonly id: Id } {
  const { id, label, createCell } = options;
  return {
    id,
    label,
    description: options.description,
    family: 'rnn',
    kind: 'univariate',
    forecastType: 'direct',
    exogenous,
    configSchema: options.configSchema,
    commonDefaults: recurrentCommonDefaults,
    defaultSearchSpace: options.defaultSearchSpace,
    build(config, dims, seed) {
      checkDims({ label, exogenous }, dims);
      if (config.recurrent) {
        throw new ConfigError(
          `${label}: recurrent=true (one-step-at-a-time forecasting) is not implemented yet; use recurrent=false, NeuralForecast's default`,
        );
      }
      const store = createParamStore(id, seed);
      const hidden = config.encoder_hidden_size;
      // NeuralForecast's module order: hist_encoder, then mlp_decoder (and upsample_sequence).
      const cells = Array.from({ length: config.encoder_n_layers }, (_, i) =>
        createCell(store, {
          path: `hist_encoder/layer_${i}`,
          inputSize: i === 0 ? encoderInputSize(dims) : hidden,
          hiddenSize: hidden,
          bias: config.encoder_bias,
        }),
      );
      const decoder = createDirectDecoder(store, dims, {
        hiddenSize: hidden,
        decoderHiddenSize: config.decoder_hidden_size,
        decoderLayers: config.decoder_layers,
      });
      return toNetwork(store, (batch, ctx) => {
        const x = encoderInput(batch, dims, label); // [B, L, 1+X+S+F]
        const states = unrollStack(cells, x, config.encoder_dropout, ctx); // -> [B, L, hidden]
        return decoder.apply(states, batch, ctx, label); // -> [B, H, K]
      });
    },
  };
}
