/**
 * The decomposition encoder–decoder Autoformer and FEDformer share (NeuralForecast's
 * `EncoderLayer`, `Encoder`, `DecoderLayer`, `Decoder` and `forward` of both models, which differ
 * only in the inner attention): every sublayer's output is split by a moving-average series
 * decomposition, the encoder keeps only the seasonal parts, the decoder accumulates the trends it
 * removes (projected by a circular kernel-3 conv) onto a trend initialised from the window.
 *
 * Decoder input (label_len = ⌈input_size·decoder_input_size_multiplier⌉ steps of the window, then
 * h future steps): the seasonal part of the window's last label_len steps then zeros is embedded;
 * the trend starts as the window's trend over those steps then the window mean.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import type { ModelDims, WindowBatch } from '../model/types.js';
import { gelu, relu, type Activation } from '../nn/activations.js';
import { createAttentionLayer, type AttentionLayer, type InnerAttention } from '../nn/attention.js';
import { createCircularConv1d } from '../nn/circular-conv1d.js';
import { createDataEmbedding } from '../nn/data-embedding.js';
import { dropout } from '../nn/dropout.js';
import type { ForwardContext } from '../nn/forward-context.js';
import { createLinear, type Linear } from '../nn/linear.js';
import type { ParamStore } from '../nn/params.js';
import { createSeasonalLayerNorm } from '../nn/seasonal-layer-norm.js';
import { createSeriesDecomposition } from '../nn/series-decomp.js';
import { requireInput } from './network.js';

/** The hyperparameters both models share, with NeuralForecast's names. */
export interface DecompositionFormerConfig {
  readonly decoder_input_size_multiplier: number;
  readonly hidden_size: number;
  readonly dropout: number;
  readonly n_head: number;
  readonly conv_hidden_size: number;
  readonly activation: 'relu' | 'gelu';
  readonly encoder_layers: number;
  readonly decoder_layers: number;
  readonly MovingAvg_window: number;
}

/** The inner attention of each sublayer; returning the same one twice shares its weights. */
export interface DecompositionAttentions {
  encoderSelf(layer: number): InnerAttention;
  decoderSelf(layer: number): InnerAttention;
  decoderCross(layer: number): InnerAttention;
}

/** ⌈input_size·multiplier⌉, which NeuralForecast requires strictly between 0 and input_size. */
export function labelLength(inputSize: number, multiplier: number, label: string): number {
  const labelLen = Math.ceil(inputSize * multiplier);
  if (labelLen <= 0 || labelLen >= inputSize) {
    throw new ConfigError(
      `${label}: decoder_input_size_multiplier = ${multiplier} gives label_len = ${labelLen} with input_size = ${inputSize}; it must leave 0 < label_len < input_size (a multiplier in (0, 1))`,
    );
  }
  return labelLen;
}

/** The two kernel-1 convolutions (bias-free dense layers) of a sublayer's feed-forward part. */
interface FeedForward {
  readonly conv1: Linear;
  readonly conv2: Linear;
}

function createFeedForward(store: ParamStore, path: string, hidden: number, convHidden: number): FeedForward {
  return {
    conv1: createLinear(store, {
      path: `${path}/conv1`,
      inFeatures: hidden,
      outFeatures: convHidden,
      bias: false,
    }),
    conv2: createLinear(store, {
      path: `${path}/conv2`,
      inFeatures: convHidden,
      outFeatures: hidden,
      bias: false,
    }),
  };
}

/** Builds the network body over `dims` for a model labelled `label`. */
export function buildDecompositionFormer(
  store: ParamStore,
  options: {
    readonly label: string;
    readonly config: DecompositionFormerConfig;
    readonly dims: ModelDims;
    readonly attentions: DecompositionAttentions;
  },
): (batch: WindowBatch, ctx: ForwardContext) => tf.Tensor3D {
  const { label, config, dims, attentions } = options;
  const { h, inputSize: L, futrExogSize: F, nOutputs: K } = dims;
  const labelLen = labelLength(L, config.decoder_input_size_multiplier, label);
  const d = config.hidden_size;
  const rate = config.dropout;
  const activation: Activation = config.activation === 'relu' ? relu : gelu;
  const decomposition = createSeriesDecomposition(config.MovingAvg_window);
  const embedding = (path: string) =>
    createDataEmbedding(store, {
      path,
      inChannels: 1,
      exogSize: F,
      hiddenSize: d,
      dropout: rate,
      positional: false,
    });
  const attention = (path: string, inner: InnerAttention): AttentionLayer =>
    createAttentionLayer(store, { path, hiddenSize: d, nHeads: config.n_head }, inner);

  // Creation order follows NeuralForecast's modules.
  const encEmbedding = embedding('enc_embedding');
  const decEmbedding = embedding('dec_embedding');
  const encoderLayers = Array.from({ length: config.encoder_layers }, (_, i) => ({
    attention: attention(`encoder/attn_layers_${i}/attention`, attentions.encoderSelf(i)),
    ...createFeedForward(store, `encoder/attn_layers_${i}`, d, config.conv_hidden_size),
  }));
  const encoderNorm = createSeasonalLayerNorm(store, 'encoder/norm', d);
  const decoderLayers = Array.from({ length: config.decoder_layers }, (_, i) => ({
    selfAttention: attention(`decoder/layers_${i}/self_attention`, attentions.decoderSelf(i)),
    crossAttention: attention(`decoder/layers_${i}/cross_attention`, attentions.decoderCross(i)),
    ...createFeedForward(store, `decoder/layers_${i}`, d, config.conv_hidden_size),
    trendProjection: createCircularConv1d(store, {
      path: `decoder/layers_${i}/projection`,
      inChannels: d,
      outChannels: K,
    }),
  }));
  const decoderNorm = createSeasonalLayerNorm(store, 'decoder/norm', d);
  const projection = createLinear(store, { path: 'decoder/projection', inFeatures: d, outFeatures: K });

  /** dropout(conv2(dropout(act(conv1(x))))): the feed-forward part of a sublayer. */
  const feedForward = (layer: FeedForward, x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D =>
    dropout(layer.conv2.apply(dropout(layer.conv1.apply(x, activation), rate, ctx)), rate, ctx);

  return (batch, ctx) => {
    const y = batch.insampleY; // [B, L, 1]
    const B = y.shape[0];
    const futr = F > 0 ? requireInput(batch.futrExog, 'futrExog', label) : undefined; // [B, L+h, F]
    const markEnc = futr && tf.slice(futr, [0, 0, 0], [B, L, F]);
    const markDec = futr && tf.slice(futr, [0, L - labelLen, 0], [B, labelLen + h, F]);

    const window = decomposition.apply(y);
    const lastSteps = (x: tf.Tensor3D) => tf.slice(x, [0, L - labelLen, 0], [B, labelLen, 1]);
    const windowMean = tf.tile(tf.mean(y, 1, true), [1, h, 1]); // [B, h, 1]
    let trend = tf.concat([lastSteps(window.trend), windowMean], 1) as tf.Tensor3D; // [B, label_len+h, 1]
    const seasonalInit = tf.concat([lastSteps(window.seasonal), tf.zeros([B, h, 1])], 1) as tf.Tensor3D;

    let enc = encEmbedding.apply(y, markEnc, ctx); // [B, L, d]
    for (const layer of encoderLayers) {
      const attended = tf.add(
        enc,
        dropout(layer.attention.apply(enc, enc, enc, ctx).output, rate, ctx),
      ) as tf.Tensor3D;
      // The encoder keeps only seasonal parts: one product each, no trend.
      const x = decomposition.seasonal(attended);
      enc = decomposition.seasonal(tf.add(x, feedForward(layer, x, ctx)) as tf.Tensor3D);
    }
    enc = encoderNorm.apply(enc);

    let dec = decEmbedding.apply(seasonalInit, markDec, ctx); // [B, label_len+h, d]
    for (const layer of decoderLayers) {
      const first = decomposition.apply(
        tf.add(dec, dropout(layer.selfAttention.apply(dec, dec, dec, ctx).output, rate, ctx)),
      );
      const second = decomposition.apply(
        tf.add(
          first.seasonal,
          dropout(layer.crossAttention.apply(first.seasonal, enc, enc, ctx).output, rate, ctx),
        ),
      );
      const third = decomposition.apply(tf.add(second.seasonal, feedForward(layer, second.seasonal, ctx)));
      dec = third.seasonal;
      const removed = tf.addN([first.trend, second.trend, third.trend]) as tf.Tensor3D; // [B, label_len+h, d]
      trend = tf.add(trend, layer.trendProjection.apply(removed)) as tf.Tensor3D; // + [B, label_len+h, K]
    }
    const seasonal = projection.apply(decoderNorm.apply(dec)); // [B, label_len+h, K]
    const out = tf.add(trend, seasonal) as tf.Tensor3D;
    return tf.slice(out, [0, labelLen, 0], [B, h, K]); // the last h steps: [B, h, K]
  };
}
