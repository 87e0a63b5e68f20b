/**
 * NeuralForecast's encoder/decoder stacks (common/_modules.py `TransEncoderLayer`, `TransEncoder`,
 * `TransDecoderLayer`, `TransDecoder`), shared by VanillaTransformer and Informer; iTransformer and
 * SOFTS reuse the encoder (SOFTS with its STAR block in the attention's place). Post-norm layers: attention, dropout, residual,
 * layer norm, then a position-wise feed-forward of two kernel-1 Conv1d's with dropout after each,
 * residual and layer norm.
 *
 * A kernel-1 Conv1d over [B, C, L] is a dense layer over the channels of each step, so the
 * feed-forward is two {@link Linear}s on the channels-last [B, L, C] layout — same parameters
 * (C_in·C_out + C_out), same PyTorch initial distribution (fan_in = C_in · 1).
 */
import * as tf from '@tensorflow/tfjs-core';
import { gelu, relu, type Activation } from './activations.js';
import type { AttentionLayer } from './attention.js';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { createLayerNorm, type LayerNorm } from './layer-norm.js';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';

/** The feed-forward activations NeuralForecast's transformer layers accept. */
export const TRANSFORMER_ACTIVATIONS = ['relu', 'gelu'] as const;

/** One of {@link TRANSFORMER_ACTIVATIONS}. */
export type TransformerActivation = (typeof TRANSFORMER_ACTIVATIONS)[number];

/** What every encoder or decoder layer needs besides its attentions. */
export interface TransformerLayerOptions {
  /** Variable path prefix (`encoder/attn_layers_0`). */
  readonly path: string;
  readonly hiddenSize: number;
  /** Channels of the feed-forward. @default 4 · hiddenSize (NeuralForecast's `conv_hidden_size or 4*hidden_size`) */
  readonly convHiddenSize?: number;
  readonly dropout: number;
  readonly activation: TransformerActivation;
}

/** The kernel-1 convolutions `conv1`, `conv2` of a layer: [B, L, C] -> [B, L, C]. */
export interface FeedForward {
  readonly conv1: Linear;
  readonly conv2: Linear;
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

const activationOf = (name: TransformerActivation): Activation => (name === 'relu' ? relu : gelu);

/**
 * A layer's position-wise feed-forward (`conv1`, activation, dropout, `conv2`, dropout), for layers
 * that arrange their attentions differently (TimeXer's global-token cross-attention).
 */
export function createFeedForward(store: ParamStore, options: TransformerLayerOptions): FeedForward {
  const { path, hiddenSize } = options;
  const convHidden = options.convHiddenSize ?? 4 * hiddenSize;
  const conv1 = createLinear(store, {
    path: `${path}/conv1`,
    inFeatures: hiddenSize,
    outFeatures: convHidden,
  });
  const conv2 = createLinear(store, {
    path: `${path}/conv2`,
    inFeatures: convHidden,
    outFeatures: hiddenSize,
  });
  const activation = activationOf(options.activation);
  return {
    conv1,
    conv2,
    apply(x, ctx) {
      const inner = dropout(conv1.apply(x, activation), options.dropout, ctx); // [B, L, conv_hidden]
      return dropout(conv2.apply(inner), options.dropout, ctx); // [B, L, C]
    },
  };
}

/**
 * What a {@link TransEncoderLayer} calls where the self-attention goes: an {@link AttentionLayer}, or
 * any block NeuralForecast passes as `attention` with its signature (SOFTS's STAR).
 */
export type TokenMixer = Pick<AttentionLayer, 'apply'>;

/** NeuralForecast's `TransEncoderLayer`: self-attention and feed-forward, each with residual and norm. */
export interface TransEncoderLayer {
  /** [B, L, C] -> [B, L, C], and the attention weights when the inner attention computes them. */
  apply(
    x: tf.Tensor3D,
    ctx: ForwardContext,
  ): { readonly output: tf.Tensor3D; readonly weights?: tf.Tensor4D };
}

/**
 * Creates an encoder layer around `attention` (already created, so its projections come first in
 * the store as in NeuralForecast's constructor), then conv1, conv2, norm1, norm2.
 */
export function createTransEncoderLayer(
  store: ParamStore,
  attention: TokenMixer,
  options: TransformerLayerOptions,
): TransEncoderLayer {
  const feedForward = createFeedForward(store, options);
  const norm1 = createLayerNorm(store, `${options.path}/norm1`, options.hiddenSize);
  const norm2 = createLayerNorm(store, `${options.path}/norm2`, options.hiddenSize);
  return {
    apply(x, ctx) {
      const attended = attention.apply(x, x, x, ctx);
      const residual = norm1.apply(tf.add<tf.Tensor3D>(x, dropout(attended.output, options.dropout, ctx))); // [B, L, C]
      const output = norm2.apply(tf.add<tf.Tensor3D>(residual, feedForward.apply(residual, ctx)));
      return attended.weights ? { output, weights: attended.weights } : { output };
    },
  };
}

/** A layer between encoder layers that reshapes the sequence (Informer's distilling ConvLayer). */
export interface SequenceLayer {
  /** [B, L, C] -> [B, L', C]. */
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** NeuralForecast's `TransEncoder`. */
export interface TransEncoder {
  /** [B, L, C] -> [B, L', C] (L' < L when distilling), and each layer's attention weights if computed. */
  apply(
    x: tf.Tensor3D,
    ctx: ForwardContext,
  ): { readonly output: tf.Tensor3D; readonly weights: tf.Tensor4D[] };
}

/**
 * Stacks encoder layers, with `convLayers[i]` after layer i when given (one fewer than the layers,
 * as Informer's distil builds them), and an optional final layer norm.
 */
export function createTransEncoder(options: {
  readonly layers: readonly TransEncoderLayer[];
  readonly convLayers?: readonly SequenceLayer[];
  readonly norm?: LayerNorm;
}): TransEncoder {
  const { layers, convLayers, norm } = options;
  if (convLayers && convLayers.length !== layers.length - 1) {
    throw new Error(
      `a TransEncoder needs one conv layer fewer than its ${layers.length} layers, got ${convLayers.length}`,
    );
  }
  return {
    apply(input, ctx) {
      const weights: tf.Tensor4D[] = [];
      let x = input;
      layers.forEach((layer, i) => {
        const out = layer.apply(x, ctx);
        if (out.weights) weights.push(out.weights);
        x = out.output;
        const conv = convLayers?.[i];
        if (conv) x = conv.apply(x, ctx);
      });
      return { output: norm ? norm.apply(x) : x, weights };
    },
  };
}

/** NeuralForecast's `TransDecoderLayer`: self-attention, cross-attention and feed-forward. */
export interface TransDecoderLayer {
  /** decoder input [B, T, C] and encoder output [B, S, C] -> [B, T, C]. */
  apply(x: tf.Tensor3D, cross: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * Creates a decoder layer around its two attentions (created before it, self then cross, as in
 * NeuralForecast's constructor), then conv1, conv2, norm1, norm2, norm3. Whether the self-attention
 * is masked is the attention's business: NeuralForecast's models pass no mask object down.
 */
export function createTransDecoderLayer(
  store: ParamStore,
  attentions: { readonly self: AttentionLayer; readonly cross: AttentionLayer },
  options: TransformerLayerOptions,
): TransDecoderLayer {
  const feedForward = createFeedForward(store, options);
  const norms = [1, 2, 3].map((i) => createLayerNorm(store, `${options.path}/norm${i}`, options.hiddenSize));
  const [norm1, norm2, norm3] = norms as [LayerNorm, LayerNorm, LayerNorm];
  const rate = options.dropout;
  return {
    apply(input, cross, ctx) {
      let x = tf.add<tf.Tensor3D>(
        input,
        dropout(attentions.self.apply(input, input, input, ctx).output, rate, ctx),
      );
      x = norm1.apply(x);
      x = norm2.apply(
        tf.add<tf.Tensor3D>(x, dropout(attentions.cross.apply(x, cross, cross, ctx).output, rate, ctx)),
      );
      return norm3.apply(tf.add<tf.Tensor3D>(x, feedForward.apply(x, ctx))); // [B, T, C]
    },
  };
}

/** NeuralForecast's `TransDecoder`: decoder layers, an optional final norm and projection. */
export interface TransDecoder {
  /** [B, T, C] and encoder output [B, S, C] -> [B, T, out] (out = C without a projection). */
  apply(x: tf.Tensor3D, cross: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Stacks decoder layers, then `norm` and `projection` when given. */
export function createTransDecoder(options: {
  readonly layers: readonly TransDecoderLayer[];
  readonly norm?: LayerNorm;
  readonly projection?: Linear;
}): TransDecoder {
  const { layers, norm, projection } = options;
  return {
    apply(input, cross, ctx) {
      let x = input;
      for (const layer of layers) x = layer.apply(x, cross, ctx);
      if (norm) x = norm.apply(x);
      return projection ? projection.apply(x) : x;
    },
  };
}
