/**
 * The head NeuralForecast's TCN and DilatedRNN put after their encoders: `context_adapter`, a
 * Linear(input_size, h) over each channel's time axis, then the horizon's futr columns joined and
 * `mlp_decoder` (ReLU, dropout 0) mapping every horizon step to the outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims, WindowBatch } from '../model/types.js';
import { relu } from '../nn/activations.js';
import type { ForwardContext } from '../nn/forward-context.js';
import { createLinear } from '../nn/linear.js';
import { createMlp } from '../nn/mlp.js';
import type { ParamStore } from '../nn/params.js';
import { requireInput } from './network.js';

/** Options of {@link createContextDecoder}. */
export interface ContextDecoderOptions {
  /** Encoder channels C. */
  readonly channels: number;
  /** NeuralForecast's `decoder_hidden_size`. */
  readonly decoderHiddenSize: number;
  /** NeuralForecast's `decoder_layers` (total linear layers; 1 = one projection). */
  readonly decoderLayers: number;
}

/** Maps encoder states over the window to the forecast. */
export interface ContextDecoder {
  /** [B, L, C] states (+ the batch's horizon futr) -> [B, H, nOutputs]; `label` names the model in errors. */
  apply(states: tf.Tensor3D, batch: WindowBatch, ctx: ForwardContext, label: string): tf.Tensor3D;
}

/** Creates the head in NeuralForecast's module order: context_adapter, then mlp_decoder. */
export function createContextDecoder(
  store: ParamStore,
  dims: ModelDims,
  options: ContextDecoderOptions,
): ContextDecoder {
  const { h, inputSize: L, futrExogSize: F, nOutputs: K } = dims;
  const contextAdapter = createLinear(store, { path: 'context_adapter', inFeatures: L, outFeatures: h });
  const hidden = Array<number>(options.decoderLayers - 1).fill(options.decoderHiddenSize);
  const decoder = createMlp(store, {
    path: 'mlp_decoder',
    sizes: [options.channels + F, ...hidden, K],
    activation: relu,
    activateLast: false,
  });
  return {
    apply(states, batch, ctx, label) {
      return tf.tidy(() => {
        const B = states.shape[0];
        const perChannel = tf.transpose(states, [0, 2, 1]); // [B, L, C] -> [B, C, L]
        let context = tf.transpose(contextAdapter.apply(perChannel), [0, 2, 1]) as tf.Tensor3D; // -> [B, C, H] -> [B, H, C]
        if (F > 0) {
          const futr = requireInput(batch.futrExog, 'futrExog', label); // [B, L+H, F]
          context = tf.concat([context, tf.slice(futr, [0, L, 0], [B, h, F])], 2); // -> [B, H, C+F]
        }
        return decoder.apply(context, ctx); // -> [B, H, K]
      });
    },
  };
}
