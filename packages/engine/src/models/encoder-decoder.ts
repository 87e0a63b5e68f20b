/**
 * The encoder–decoder forecaster NeuralForecast's VanillaTransformer and Informer share (they differ
 * only in their attentions and Informer's distilling): the window is embedded and encoded; the
 * decoder reads the last `label_len` steps of the window followed by h zeros (embedded the same way,
 * with the horizon's future exogenous as marks), attends to the encoder output, and the projection
 * of its last h steps is the forecast.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type { ModelDims, ModelNetwork, WindowBatch } from '../model/types.js';
import { createAttentionLayer, type InnerAttention } from '../nn/attention.js';
import { createDataEmbedding } from '../nn/data-embedding.js';
import { createLayerNorm } from '../nn/layer-norm.js';
import { createLinear } from '../nn/linear.js';
import type { ParamStore } from '../nn/params.js';
import {
  createTransDecoder,
  createTransDecoderLayer,
  createTransEncoder,
  createTransEncoderLayer,
  TRANSFORMER_ACTIVATIONS,
  type SequenceLayer,
} from '../nn/transformer-layers.js';
import { requireInput, toNetwork } from './network.js';

/** The hyperparameters VanillaTransformer and Informer share, with NeuralForecast's names and defaults. */
export const encoderDecoderConfigShape = {
  /** label_len = ⌈input_size · multiplier⌉ window steps start the decoder input; in (0, 1). @default 0.5 */
  decoder_input_size_multiplier: z.number().gt(0).lt(1).default(0.5),
  /**
   * Width of the embeddings and attention layers. Even: the positional embedding pairs a sine and a
   * cosine per frequency (NeuralForecast fails on an odd size too). @default 128
   */
  hidden_size: z
    .number()
    .int()
    .min(2)
    .refine((d) => d % 2 === 0, 'hidden_size must be even (sine/cosine pairs of the positional embedding)')
    .default(128),
  /** Dropout of the embeddings, attention outputs and feed-forwards. @default 0.05 */
  dropout: z.number().min(0).lt(1).default(0.05),
  /** Attention heads; each gets ⌊hidden_size / n_head⌋ channels. @default 4 */
  n_head: z.number().int().min(1).default(4),
  /** Channels of each layer's kernel-1 convolutional feed-forward. @default 32 */
  conv_hidden_size: z.number().int().min(1).default(32),
  /** Feed-forward activation. @default 'gelu' */
  activation: z.enum(TRANSFORMER_ACTIVATIONS).default('gelu'),
  /** Encoder layers. @default 2 */
  encoder_layers: z.number().int().min(1).default(2),
  /** Decoder layers. @default 1 */
  decoder_layers: z.number().int().min(1).default(1),
} as const;

/** The shared hyperparameters, parsed. */
export type EncoderDecoderConfig = z.output<z.ZodObject<typeof encoderDecoderConfigShape>>;

/**
 * label_len = ⌈input_size · decoder_input_size_multiplier⌉, which must leave at least one step
 * out of the window and take at least one (NeuralForecast raises otherwise, as here).
 */
export function labelLength(label: string, inputSize: number, multiplier: number): number {
  const labelLen = Math.ceil(inputSize * multiplier);
  if (labelLen >= inputSize || labelLen <= 0) {
    throw new ConfigError(
      `${label}: decoder_input_size_multiplier = ${multiplier} gives label_len = ${labelLen} of input_size = ${inputSize}; it must give 0 < label_len < input_size`,
    );
  }
  return labelLen;
}

/** The decoder input: the window's last `labelLen` steps, then `h` zeros. [B, L, 1] -> [B, labelLen + h, 1]. */
export function decoderInput(insampleY: tf.Tensor3D, labelLen: number, h: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, L] = insampleY.shape;
    return tf.concat([tf.slice(insampleY, [0, L - labelLen, 0], [B, labelLen, 1]), tf.zeros([B, h, 1])], 1);
  });
}

/** The inner attentions of each role; each call makes the attention of one layer. */
export interface EncoderDecoderAttentions {
  readonly encoder: () => InnerAttention;
  readonly decoderSelf: () => InnerAttention;
  readonly decoderCross: () => InnerAttention;
}

/** Options of {@link buildEncoderDecoder}. */
export interface EncoderDecoderOptions {
  /** The model's label for error messages (`'Informer'`). */
  readonly label: string;
  readonly config: EncoderDecoderConfig;
  readonly dims: ModelDims;
  readonly attentions: EncoderDecoderAttentions;
  /** Distilling layers between encoder layers (encoder_layers − 1 of them), made after the encoder layers. */
  readonly distil?: (store: ParamStore, path: string, channels: number) => SequenceLayer;
}

/**
 * Builds the network into `store`, creating modules in NeuralForecast's constructor order
 * (enc_embedding, dec_embedding, encoder layers, conv layers, encoder norm, decoder layers, decoder
 * norm, projection) so a seed always draws the same weights for the same parameter.
 */
export function buildEncoderDecoder(store: ParamStore, options: EncoderDecoderOptions): ModelNetwork {
  const { label, config, dims, attentions } = options;
  const { h, inputSize: L, futrExogSize: F, nOutputs: K } = dims;
  const labelLen = labelLength(label, L, config.decoder_input_size_multiplier);
  const d = config.hidden_size;
  if (config.n_head > d) {
    throw new ConfigError(
      `${label}: n_head = ${config.n_head} exceeds hidden_size = ${d}; each head needs a channel`,
    );
  }
  const layerOptions = (path: string) => ({
    path,
    hiddenSize: d,
    convHiddenSize: config.conv_hidden_size,
    dropout: config.dropout,
    activation: config.activation,
  });
  const attention = (path: string, inner: InnerAttention) =>
    createAttentionLayer(store, { path, hiddenSize: d, nHeads: config.n_head }, inner);
  const embedding = (path: string) =>
    createDataEmbedding(store, { path, inChannels: 1, exogSize: F, hiddenSize: d, dropout: config.dropout });

  const encEmbedding = embedding('enc_embedding');
  const decEmbedding = embedding('dec_embedding');
  const encoderLayers = Array.from({ length: config.encoder_layers }, (_, i) => {
    const path = `encoder/attn_layers_${i}`;
    return createTransEncoderLayer(
      store,
      attention(`${path}/attention`, attentions.encoder()),
      layerOptions(path),
    );
  });
  const distil = options.distil;
  const convLayers = distil
    ? Array.from({ length: config.encoder_layers - 1 }, (_, i) =>
        distil(store, `encoder/conv_layers_${i}`, d),
      )
    : undefined;
  const encoder = createTransEncoder({
    layers: encoderLayers,
    ...(convLayers ? { convLayers } : {}),
    norm: createLayerNorm(store, 'encoder/norm', d),
  });
  const decoderLayers = Array.from({ length: config.decoder_layers }, (_, i) => {
    const path = `decoder/layers_${i}`;
    const self = attention(`${path}/self_attention`, attentions.decoderSelf());
    const cross = attention(`${path}/cross_attention`, attentions.decoderCross());
    return createTransDecoderLayer(store, { self, cross }, layerOptions(path));
  });
  const decoder = createTransDecoder({
    layers: decoderLayers,
    norm: createLayerNorm(store, 'decoder/norm', d),
    projection: createLinear(store, { path: 'decoder/projection', inFeatures: d, outFeatures: K }),
  });

  return toNetwork(store, (batch: WindowBatch, ctx) => {
    const B = batch.insampleY.shape[0];
    const futr = F > 0 ? requireInput(batch.futrExog, 'futrExog', label) : undefined; // [B, L+H, F]
    const encoderMarks = futr && tf.slice(futr, [0, 0, 0], [B, L, F]); // the window's steps
    const decoderMarks = futr && tf.slice(futr, [0, L - labelLen, 0], [B, labelLen + h, F]); // the last label_len + h
    const encoded = encoder.apply(encEmbedding.apply(batch.insampleY, encoderMarks, ctx), ctx).output; // [B, L', d]
    const decoderIn = decEmbedding.apply(decoderInput(batch.insampleY, labelLen, h), decoderMarks, ctx); // [B, label_len+H, d]
    const out = decoder.apply(decoderIn, encoded, ctx); // [B, label_len+H, K]
    return tf.slice(out, [0, labelLen, 0], [B, h, K]); // [B, H, K]
  });
}
