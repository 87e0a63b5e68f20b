/**
 * DeepAR: an LSTM over the series, one step at a time, whose MLP decoder outputs the parameters of
 * the loss's distribution (StudentT by default) for the next value. NeuralForecast 3.2's form
 * (`RECURRENT = True`): trained by likelihood with teacher forcing on windows of input_size + 1
 * inputs and `h_train` horizon steps; at inference the horizon is rolled out from the window's
 * state, each step feeding back the distribution's mean, and each step's quantiles come from
 * `trajectory_samples` draws of its distribution.
 * @see Salinas, Flunkert, Gasthaus, Januschowski (2020), "DeepAR: Probabilistic forecasting with
 * autoregressive recurrent networks", International Journal of Forecasting 36(3). https://doi.org/10.1016/j.ijforecast.2019.07.001
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { ModelDims, ModelNetwork, ModelSpec, WindowBatch } from '../../model/types.js';
import { relu } from '../../nn/activations.js';
import { createForwardContext } from '../../nn/forward-context.js';
import { createMlp } from '../../nn/mlp.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput } from '../network.js';
import { meanFeedback, rollout, teacherForced, type AutoregressiveParts } from '../recurrent/autoregressive.js';
import { createLstmCell } from '../recurrent/lstm-cell.js';
import { deeparSearchSpace } from './search-space.js';

/** DeepAR's own hyperparameters, with NeuralForecast's names and defaults. */
export const deeparConfigSchema = z.object({
  /** Horizon steps of each training window (truncated backpropagation). @default 1 */
  h_train: z.number().int().min(1).default(1),
  /** @default 2 */
  lstm_n_layers: z.number().int().min(1).default(2),
  /** @default 128 */
  lstm_hidden_size: z.number().int().min(1).default(128),
  /** Dropout on every LSTM layer's outputs but the last, while training. @default 0.1 */
  lstm_dropout: z.number().min(0).lt(1).default(0.1),
  /** Hidden layers of the MLP decoder; 0 = one linear projection. @default 0 */
  decoder_hidden_layers: z.number().int().min(0).default(0),
  /** Width of the decoder's hidden layers (unused when decoder_hidden_layers is 0). @default 0 */
  decoder_hidden_size: z.number().int().min(0).default(0),
  /** Draws per horizon step at inference, for the quantiles and level intervals. @default 100 */
  trajectory_samples: z.number().int().min(1).default(100),
});

/** Parsed DeepAR config. */
export type DeeparConfig = z.output<typeof deeparConfigSchema>;

const exogenous = { futr: true, hist: false, stat: true } as const;
const label = 'DeepAR';

/**
 * The LSTM's inputs [B, T, 1+F+S] in NeuralForecast's order: y, futr, stat repeated. `futrStart` is
 * the window position of the first step's futr row: NeuralForecast drops the window's first futr
 * row for recurrent models, so the step reading y_t sees the futr of t + 1, the step it predicts.
 */
function stepInputs(y: tf.Tensor3D, batch: WindowBatch, dims: ModelDims, futrStart: number): tf.Tensor3D {
  const [B, T] = y.shape;
  const parts: tf.Tensor3D[] = [y]; // [B, T, 1]
  if (dims.futrExogSize > 0) {
    const futr = requireInput(batch.futrExog, 'futrExog', label); // [B, L+H, F]
    parts.push(tf.slice(futr, [0, futrStart, 0], [B, T, dims.futrExogSize])); // -> [B, T, F]
  }
  if (dims.statExogSize > 0) {
    const stat = requireInput(batch.statExog, 'statExog', label); // [B, S]
    parts.push(tf.tile(tf.expandDims(stat, 1), [1, T, 1]) as tf.Tensor3D); // -> [B, T, S]
  }
  return parts.length === 1 ? y : (tf.concat(parts, 2) as tf.Tensor3D);
}

/** NeuralForecast's `DeepAR`. */
export const deepar = {
  id: 'deepar',
  label,
  description:
    'Autoregressive LSTM emitting a distribution per step, sampled at inference (Salinas et al., IJF 2020).',
  family: 'rnn',
  kind: 'univariate',
  forecastType: 'recurrent',
  exogenous,
  requiresInsampleY: true,
  configSchema: deeparConfigSchema,
  commonDefaults: {
    max_steps: 1000,
    learning_rate: 1e-3,
    num_lr_decays: 3,
    batch_size: 32,
    windows_batch_size: 1024,
    inference_windows_batch_size: -1,
    scaler_type: 'identity',
    loss: { id: 'distributionloss', distribution: 'StudentT', level: [80, 90] },
    valid_loss: 'mae',
  },
  defaultSearchSpace: deeparSearchSpace,
  build(config, dims, seed): ModelNetwork {
    checkDims({ label, exogenous }, dims);
    if (config.decoder_hidden_layers > 0 && config.decoder_hidden_size < 1) {
      throw new ConfigError(
        `${label}: decoder_hidden_size must be at least 1 when decoder_hidden_layers is ${config.decoder_hidden_layers}`,
      );
    }
    const store = createParamStore('deepar', seed);
    const hidden = config.lstm_hidden_size;
    // NeuralForecast's module order: hist_encoder (nn.LSTM), then decoder (MLP).
    const cells = Array.from({ length: config.lstm_n_layers }, (_, i) =>
      createLstmCell(store, {
        path: `hist_encoder/layer_${i}`,
        inputSize: i === 0 ? 1 + dims.futrExogSize + dims.statExogSize : hidden,
        hiddenSize: hidden,
      }),
    );
    const decoder = createMlp(store, {
      path: 'decoder',
      sizes: [
        hidden,
        ...Array.from({ length: config.decoder_hidden_layers }, () => config.decoder_hidden_size),
        dims.nOutputs,
      ],
      activation: relu,
      activateLast: false,
    });
    const parts: AutoregressiveParts = {
      layers: cells,
      dropout: config.lstm_dropout,
      stepInputs: (y, batch, exogStart) => stepInputs(y, batch, dims, exogStart),
      head: (outputs, ctx) => decoder.apply(outputs, ctx), // [B, T, hidden] -> [B, T, K]
    };
    return {
      variables: store.variables,
      recurrent: {
        inputSize: dims.inputSize + 1,
        predictInputSize: dims.inputSize + 1,
        trainH: config.h_train,
        samples: config.trajectory_samples,
      },
      forward(batch, options) {
        const ctx = createForwardContext(options, store.rng);
        return tf.tidy(() =>
          options.target
            ? teacherForced(parts, batch, options.target, ctx)
            : rollout(parts, batch, { h: dims.h, feedback: options.feedback ?? meanFeedback, ctx }),
        );
      },
      dispose() {
        store.dispose();
      },
    };
  },
} as const satisfies ModelSpec<DeeparConfig>;
