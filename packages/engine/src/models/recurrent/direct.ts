/**
 * NeuralForecast 3.x's non-recurrent (`recurrent=False`) path of its recurrent models: the encoder
 * input is y with hist, stat (repeated per step) and futr (window part) concatenated in that order;
 * after the encoder, the last h states (or, when h > input_size, a linear upsampling of the time
 * axis) are joined with the horizon's futr columns and mapped per step by an MLP decoder.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims, WindowBatch } from '../../model/types.js';
import { relu } from '../../nn/activations.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear, type Linear } from '../../nn/linear.js';
import { createMlp, type Mlp } from '../../nn/mlp.js';
import type { ParamStore } from '../../nn/params.js';
import { requireInput } from '../network.js';

/** Encoder input width: 1 (y) + X + S + F. */
export const encoderInputSize = (dims: ModelDims): number =>
  1 + dims.histExogSize + dims.statExogSize + dims.futrExogSize;

/** [B, L, 1+X+S+F]: y, hist, stat repeated over the window, and the window part of futr. */
export function encoderInput(batch: WindowBatch, dims: ModelDims, label: string): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, L] = batch.insampleY.shape;
    const parts: tf.Tensor3D[] = [batch.insampleY]; // [B, L, 1]
    if (dims.histExogSize > 0) parts.push(requireInput(batch.histExog, 'histExog', label)); // [B, L, X]
    if (dims.statExogSize > 0) {
      const stat = requireInput(batch.statExog, 'statExog', label); // [B, S]
      parts.push(tf.tile(tf.expandDims(stat, 1), [1, L, 1]) as tf.Tensor3D); // -> [B, L, S]
    }
    if (dims.futrExogSize > 0) {
      const futr = requireInput(batch.futrExog, 'futrExog', label); // [B, L+H, F]
      parts.push(tf.slice(futr, [0, 0, 0], [B, L, dims.futrExogSize])); // -> [B, L, F]
    }
    return parts.length === 1 ? batch.insampleY : (tf.concat(parts, 2) as tf.Tensor3D);
  });
}

/** Options of {@link createDirectDecoder}. */
export interface DirectDecoderOptions {
  /** Encoder state width. */
  readonly hiddenSize: number;
  /** NeuralForecast's `decoder_hidden_size`. */
  readonly decoderHiddenSize: number;
  /** NeuralForecast's `decoder_layers` (total linear layers; 1 = one projection). */
  readonly decoderLayers: number;
}

/** Maps encoder states to the forecast. */
export interface DirectDecoder {
  /** [B, L, hidden] states (+ batch futr) -> [B, H, nOutputs]. */
  apply(states: tf.Tensor3D, batch: WindowBatch, ctx: ForwardContext, label: string): tf.Tensor3D;
}

/**
 * Creates the decoder in NeuralForecast's module order: `mlp_decoder` (MLP with ReLU, dropout 0),
 * then `upsample_sequence` (Linear(input_size, h)) only when h > input_size.
 */
export function createDirectDecoder(
  store: ParamStore,
  dims: ModelDims,
  options: DirectDecoderOptions,
): DirectDecoder {
  const { h, inputSize: L, futrExogSize: F, nOutputs: K } = dims;
  const inFeatures = options.hiddenSize + F;
  const hidden = Array.from({ length: options.decoderLayers - 1 }, () => options.decoderHiddenSize);
  const mlp: Mlp = createMlp(store, {
    path: 'mlp_decoder',
    sizes: [inFeatures, ...hidden, K],
    activation: relu,
    activateLast: false,
  });
  const upsample: Linear | undefined =
    h > L ? createLinear(store, { path: 'upsample_sequence', inFeatures: L, outFeatures: h }) : undefined;
  return {
    apply(states, batch, ctx, label) {
      return tf.tidy(() => {
        const [B, , D] = states.shape;
        let x: tf.Tensor3D;
        if (upsample) {
          const perUnit = tf.transpose(states, [0, 2, 1]); // [B, L, D] -> [B, D, L]
          x = tf.transpose(upsample.apply(perUnit), [0, 2, 1]); // -> [B, D, H] -> [B, H, D]
        } else {
          x = tf.slice(states, [0, L - h, 0], [B, h, D]); // last h states [B, H, D]
        }
        if (F > 0) {
          const futr = requireInput(batch.futrExog, 'futrExog', label); // [B, L+H, F]
          x = tf.concat([x, tf.slice(futr, [0, L, 0], [B, h, F])], 2); // -> [B, H, D+F]
        }
        return mlp.apply(x, ctx); // [B, H, D+F] -> [B, H, K]
      });
    },
  };
}
