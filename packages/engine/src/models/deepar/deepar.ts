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
import type { ModelDims, ModelNetwork, ModelSpec, StepFeedback, WindowBatch } from '../../model/types.js';
import { relu } from '../../nn/activations.js';
import { createForwardContext, type ForwardContext } from '../../nn/forward-context.js';
import { createMlp, type Mlp } from '../../nn/mlp.js';
import { createParamStore } from '../../nn/params.js';
import { checkDims, requireInput } from '../network.js';
import { createLstmCell, type LstmCell } from '../recurrent/lstm-cell.js';
import { unrollStack } from '../recurrent/unroll.js';
import { runStack } from './lstm-stack.js';
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

/** The network's parts, shared by its two forward modes. */
interface Parts {
  readonly cells: readonly LstmCell[];
  readonly decoder: Mlp;
  readonly dims: ModelDims;
  readonly dropout: number;
}

/**
 * Training: the LSTM reads the window's y followed by the true horizon shifted by one (teacher
 * forcing) and the last H' states give the H' = target length outputs. [B, H', K]
 */
function teacherForced(
  parts: Parts,
  batch: WindowBatch,
  target: tf.Tensor3D,
  ctx: ForwardContext,
): tf.Tensor3D {
  const [B, L] = batch.insampleY.shape;
  const ht = target.shape[1];
  const y =
    ht === 1
      ? batch.insampleY
      : (tf.concat([batch.insampleY, tf.slice(target, [0, 0, 0], [B, ht - 1, 1])], 1) as tf.Tensor3D); // [B, L+H'-1, 1]
  const x = stepInputs(y, batch, parts.dims, 1); // [B, T, 1+F+S]
  const states = unrollStack(parts.cells, x, parts.dropout, ctx); // [B, T, hidden]
  const T = L + ht - 1;
  const last = tf.slice(states, [0, T - ht, 0], [B, ht, -1]); // [B, H', hidden]
  return parts.decoder.apply(last, ctx); // [B, H', K]
}

/**
 * Inference: the window is encoded once; each next step reads `feedback` of the previous step's
 * outputs and the carried LSTM state (no dropout). [B, H, K]
 */
function rollout(parts: Parts, batch: WindowBatch, feedback: StepFeedback, ctx: ForwardContext): tf.Tensor3D {
  const [B, L] = batch.insampleY.shape;
  const { cells, decoder, dims } = parts;
  const first = runStack(cells, stepInputs(batch.insampleY, batch, dims, 1), undefined);
  let states = first.states;
  let raw = decoder.apply(tf.slice(first.outputs, [0, L - 1, 0], [B, 1, -1]), ctx); // [B, 1, K]
  const outputs = [raw];
  for (let tau = 1; tau < dims.h; tau += 1) {
    const x = stepInputs(feedback(raw), batch, dims, L + tau); // [B, 1, 1+F+S]
    const next = runStack(cells, x, states);
    states = next.states;
    raw = decoder.apply(next.outputs, ctx); // [B, 1, hidden] -> [B, 1, K]
    outputs.push(raw);
  }
  return outputs.length === 1 ? raw : (tf.concat(outputs, 1) as tf.Tensor3D); // [B, H, K]
}

/** Without a feedback from the engine, the mean of the raw outputs (NeuralForecast's rule for point losses). */
const meanFeedback: StepFeedback = (raw) => tf.mean(raw, 2, true) as tf.Tensor3D; // [B, 1, K] -> [B, 1, 1]

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
    const parts: Parts = { cells, decoder, dims, dropout: config.lstm_dropout };
    return {
      variables: store.variables,
      recurrent: {
        inputSize: dims.inputSize + 1,
        trainH: config.h_train,
        samples: config.trajectory_samples,
      },
      forward(batch, options) {
        const ctx = createForwardContext(options, store.rng);
        return tf.tidy(() =>
          options.target
            ? teacherForced(parts, batch, options.target, ctx)
            : rollout(parts, batch, options.feedback ?? meanFeedback, ctx),
        );
      },
      dispose() {
        store.dispose();
      },
    };
  },
} as const satisfies ModelSpec<DeeparConfig>;
