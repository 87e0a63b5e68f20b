/**
 * The one model NeuralForecast 3.2's RNN, LSTM and GRU share, in both its forms. Direct
 * (`recurrent=False`, the default): a stacked recurrent encoder over the input window, the last h
 * states (or an upsampling of the time axis) joined with the horizon's futr columns, and an MLP
 * decoder. Recurrent (`recurrent=True`): the same encoder steps one value at a time
 * (autoregressive.ts) and a linear `proj` maps each state to the outputs — for LSTM, PyTorch's
 * `proj_size` inside the cell instead. The three classes differ only in the cell
 * (`nn.RNN`/`nn.LSTM`/`nn.GRU`) and a few defaults, so each model folder gives its cell, schema and
 * search space and this factory builds the rest.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { SearchSpace } from '@nflab/tune';
import type { ModelDims, ModelNetwork, UnivariateModelSpec } from '../../model/types.js';
import { createForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore, type ParamStore } from '../../nn/params.js';
import { checkDims, toNetwork } from '../network.js';
import { meanFeedback, rollout, teacherForced, type AutoregressiveParts } from './autoregressive.js';
import { createDirectDecoder, encoderInput, encoderInputSize } from './direct.js';
import { inferenceInputSize, recurrentStepInputs } from './recurrent-form.js';
import { unrollStack, type RecurrentLayer } from './unroll.js';

/** The hyperparameters the direct form reads; every model's schema has them under NeuralForecast's names. */
export interface RecurrentFamilyConfig extends Record<string, unknown> {
  readonly encoder_n_layers: number;
  readonly encoder_hidden_size: number;
  readonly encoder_bias: boolean;
  readonly encoder_dropout: number;
  readonly decoder_hidden_size: number;
  readonly decoder_layers: number;
  readonly recurrent: boolean;
  readonly h_train: number;
  readonly inference_input_size: number | null;
}

/** What one encoder layer is built from. */
export interface RecurrentCellOptions {
  /** Variable path, `hist_encoder/layer_<i>`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
}

/** Options of {@link createRecurrentModel}. */
export interface RecurrentModelOptions<Id extends string, Config extends RecurrentFamilyConfig> {
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
  /**
   * Creates layer i of the recurrent form when the cell itself projects its output to the
   * `outputSize` raw outputs (LSTM's `proj_size`); without it, the form adds a linear `proj` head.
   */
  createProjectedCell?(
    store: ParamStore,
    options: RecurrentCellOptions & { readonly outputSize: number },
  ): RecurrentLayer;
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

/** Builds the ModelSpec of a recurrent-family model around its cell. */
export function createRecurrentModel<Id extends string, Config extends RecurrentFamilyConfig>(
  options: RecurrentModelOptions<Id, Config>,
): UnivariateModelSpec<Config> & { readonly id: Id } {
  const { id, label } = options;
  return {
    id,
    label,
    description: options.description,
    family: 'rnn',
    kind: 'univariate',
    forecastType: 'direct', // the default form; `recurrent: true` rolls one step at a time
    exogenous,
    configSchema: options.configSchema,
    commonDefaults: recurrentCommonDefaults,
    defaultSearchSpace: options.defaultSearchSpace,
    build(config, dims, seed) {
      checkDims({ label, exogenous }, dims);
      const form = { options, config, dims, seed };
      return config.recurrent ? buildRecurrentForm(form) : buildDirectForm(form);
    },
  };
}

/** What either form is built from. */
interface FormInputs<Config extends RecurrentFamilyConfig> {
  readonly options: RecurrentModelOptions<string, Config>;
  readonly config: Config;
  readonly dims: ModelDims;
  readonly seed: number;
}

/** The direct form: encoder over the window, MLP decoder over the last h states. */
function buildDirectForm<Config extends RecurrentFamilyConfig>({
  options,
  config,
  dims,
  seed,
}: FormInputs<Config>): ModelNetwork {
  const store = createParamStore(options.id, seed);
  const hidden = config.encoder_hidden_size;
  // NeuralForecast's module order: hist_encoder, then mlp_decoder (and upsample_sequence).
  const cells = Array.from({ length: config.encoder_n_layers }, (_, i) =>
    options.createCell(store, {
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
    const x = encoderInput(batch, dims, options.label); // [B, L, 1+X+S+F]
    const states = unrollStack(cells, x, config.encoder_dropout, ctx); // -> [B, L, hidden]
    return decoder.apply(states, batch, ctx, options.label); // -> [B, H, K]
  });
}

/**
 * The recurrent form: windows of input_size + 1 steps, trained on `h_train` steps with teacher
 * forcing, rolled out one step at a time at inference (NeuralForecast's `n_samples` = 100 draws per
 * step for a distribution loss). `decoder_*` are unused, as in NeuralForecast.
 */
function buildRecurrentForm<Config extends RecurrentFamilyConfig>({
  options,
  config,
  dims,
  seed,
}: FormInputs<Config>): ModelNetwork {
  const store = createParamStore(options.id, seed);
  const hidden = config.encoder_hidden_size;
  const K = dims.nOutputs;
  const project = options.createProjectedCell;
  // NeuralForecast's module order: hist_encoder, then proj (absent when the cell projects).
  const layers = Array.from({ length: config.encoder_n_layers }, (_, i) => {
    const below = project ? K : hidden;
    const cell = {
      path: `hist_encoder/layer_${i}`,
      inputSize: i === 0 ? encoderInputSize(dims) : below,
      hiddenSize: hidden,
      bias: config.encoder_bias,
    };
    return project ? project(store, { ...cell, outputSize: K }) : options.createCell(store, cell);
  });
  const proj = project
    ? undefined
    : createLinear(store, { path: 'proj', inFeatures: hidden, outFeatures: K });
  const parts: AutoregressiveParts = {
    layers,
    dropout: config.encoder_dropout,
    stepInputs: (y, batch, exogStart) =>
      recurrentStepInputs(y, batch, { dims, exogStart, label: options.label }),
    head: (outputs) => (proj ? proj.apply(outputs) : outputs), // [B, T, hidden] -> [B, T, K]
  };
  return {
    variables: store.variables,
    recurrent: {
      inputSize: dims.inputSize + 1,
      predictInputSize: inferenceInputSize(config.inference_input_size, dims.inputSize) + 1,
      trainH: config.h_train,
      samples: RECURRENT_SAMPLES,
    },
    forward(batch, forwardOptions) {
      const ctx = createForwardContext(forwardOptions, store.rng);
      return tf.tidy(() =>
        forwardOptions.target
          ? teacherForced(parts, batch, forwardOptions.target, ctx)
          : rollout(parts, batch, { h: dims.h, feedback: forwardOptions.feedback ?? meanFeedback, ctx }),
      );
    },
    dispose() {
      store.dispose();
    },
  };
}

/** NeuralForecast's `n_samples` default (BaseModel), the draws per step of a recurrent distribution forecast. */
const RECURRENT_SAMPLES = 100;
