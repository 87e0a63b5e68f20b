/**
 * Attention shared by the transformer models: NeuralForecast's `FullAttention` (scaled dot-product
 * attention with an optional causal mask and dropout on the weights) and `AttentionLayer` (the
 * query/key/value/output projections around any inner attention — full, ProbSparse,
 * auto-correlation, Fourier — which all take and return NeuralForecast's [B, L, H, E] layout).
 *
 * Every head of every window is one batched product: [B·H, L, E] × [B·H, E, S] through the
 * backend's BatchMatMul (native BLAS or XNNPACK), never a loop over heads.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from './dropout.js';
import type { ForwardContext } from './forward-context.js';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';
import { scaledSoftmax } from './scaled-softmax.js';

/**
 * Added to masked scores before the softmax. PyTorch fills with −∞; a large finite value gives the
 * same weights (exp underflows to exactly 0) and cannot turn a fully masked row into NaNs.
 */
const MASKED_SCORE = -1e9;

/** Which key positions each query may attend to. */
export type AttentionMask =
  /** Every query sees every key. */
  | { readonly kind: 'none' }
  /** Query l sees keys 0..l only (NeuralForecast's `TriangularCausalMask`); needs L = S. */
  | { readonly kind: 'causal' }
  /** An additive [L, S] bias (0 where attended, {@link MASKED_SCORE} where masked), e.g. {@link causalMaskBias}. */
  | { readonly kind: 'bias'; readonly bias: tf.Tensor2D };

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductOptions {
  /** Multiplies the scores before the softmax. @default 1/√E */
  readonly scale?: number;
  /** @default { kind: 'none' } */
  readonly mask?: AttentionMask;
  /** Dropout on the attention weights while training (NeuralForecast's `attention_dropout`). */
  readonly dropout: number;
}

/** Output of an attention: values [B, L, H, D] and, when computed, the weights [B, H, L, S]. */
export interface AttentionOutput {
  readonly values: tf.Tensor4D;
  /** softmax(scale·QKᵀ + mask), before dropout, as NeuralForecast's `output_attention=True` returns them. */
  readonly weights: tf.Tensor4D;
}

/**
 * The [L, L] additive causal bias: 0 on and below the diagonal, {@link MASKED_SCORE} above it
 * (`torch.triu(ones, diagonal=1)` as a fill mask).
 */
export function causalMaskBias(L: number): tf.Tensor2D {
  const values = new Float32Array(L * L);
  for (let l = 0; l < L; l += 1) for (let s = l + 1; s < L; s += 1) values[l * L + s] = MASKED_SCORE;
  return tf.tensor2d(values, [L, L]);
}

/**
 * Scaled dot-product attention over NeuralForecast's layout: queries [B, L, H, E], keys
 * [B, S, H, E], values [B, S, H, D] -> values [B, L, H, D] and weights [B, H, L, S].
 * softmax(scale · QKᵀ + mask) · V with dropout on the weights while training.
 */
export function scaledDotProductAttention(
  queries: tf.Tensor4D,
  keys: tf.Tensor4D,
  values: tf.Tensor4D,
  options: ScaledDotProductOptions,
  ctx: ForwardContext,
): AttentionOutput {
  const [B, L, H, E] = queries.shape;
  const S = keys.shape[1];
  const D = values.shape[3];
  const mask = options.mask ?? { kind: 'none' };
  if (mask.kind === 'causal' && L !== S) {
    throw new Error(`a causal attention mask needs as many queries as keys (got ${L} and ${S})`);
  }
  const [mixedValues, weights] = tf.tidy((): [tf.Tensor4D, tf.Tensor4D] => {
    // [B, L, H, E] -> [B·H, L, E]: heads become batch entries of one product.
    const headsFirst = (x: tf.Tensor4D, length: number, width: number): tf.Tensor3D =>
      tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * H, length, width]);
    const q = headsFirst(queries, L, E);
    const k = headsFirst(keys, S, E);
    const v = headsFirst(values, S, D);
    const scale = options.scale ?? 1 / Math.sqrt(E);
    const products = tf.matMul(q, k, false, true); // [B·H, L, S]
    let weights: tf.Tensor3D;
    // Unmasked, the scale goes into the softmax op, whose backward is one kernel.
    if (mask.kind === 'none') weights = scaledSoftmax(products, scale) as tf.Tensor3D;
    else {
      const scaled = tf.mul(products, scale);
      const bias = mask.kind === 'causal' ? causalMaskBias(L) : mask.bias;
      weights = tf.softmax(tf.add(scaled, bias)) as tf.Tensor3D;
    }
    const mixed = tf.matMul(dropout(weights, options.dropout, ctx), v); // [B·H, L, D]
    return [
      tf.transpose(tf.reshape(mixed, [B, H, L, D]), [0, 2, 1, 3]) as tf.Tensor4D,
      tf.reshape(weights, [B, H, L, S]) as tf.Tensor4D,
    ];
  });
  return { values: mixedValues, weights };
}

/**
 * An inner attention of an {@link AttentionLayer}: projected queries [B, L, H, E], keys
 * [B, S, H, E] and values [B, S, H, D] in, mixed values [B, L, H, D] out (full attention,
 * ProbSparse, auto-correlation, Fourier blocks all fit).
 */
export type InnerAttention = ((
  queries: tf.Tensor4D,
  keys: tf.Tensor4D,
  values: tf.Tensor4D,
  ctx: ForwardContext,
) => { readonly values: tf.Tensor4D; readonly weights?: tf.Tensor4D }) & {
  /**
   * Inputs it never reads (FEDformer's Fourier blocks: the self block reads only queries, the cross
   * block no values). Their projections — which NeuralForecast computes and discards — are skipped
   * and it gets empty [B, S, H, 0] stand-ins. @default none
   */
  readonly unread?: readonly ('keys' | 'values')[];
};

let skipUnread = true;

/** Off: project unread inputs too, as NeuralForecast does (for A/B measurements). @default on */
export const setUnreadProjectionsSkipped = (on: boolean): void => {
  skipUnread = on;
};

/** Options of {@link createAttentionLayer}. */
export interface AttentionLayerOptions {
  /** Variable path prefix (`encoder/layers_0/attention`). */
  readonly path: string;
  readonly hiddenSize: number;
  readonly nHeads: number;
  /** Width of each head's queries and keys. @default hiddenSize / nHeads (integer division) */
  readonly keysSize?: number;
  /** Width of each head's values. @default hiddenSize / nHeads (integer division) */
  readonly valuesSize?: number;
}

/** NeuralForecast's `AttentionLayer`: projections around an {@link InnerAttention}. */
export interface AttentionLayer {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly out: Linear;
  /** queries [B, L, hidden], keys and values [B, S, hidden] -> [B, L, hidden], and the inner weights. */
  apply(
    queries: tf.Tensor3D,
    keys: tf.Tensor3D,
    values: tf.Tensor3D,
    ctx: ForwardContext,
  ): { readonly output: tf.Tensor3D; readonly weights?: tf.Tensor4D };
}

/**
 * Creates the projections in NeuralForecast's order (query, key, value, out) so a seeded store
 * draws their weights in the same sequence, and applies `inner` between them.
 */
export function createAttentionLayer(
  store: ParamStore,
  options: AttentionLayerOptions,
  inner: InnerAttention,
): AttentionLayer {
  const { path, hiddenSize, nHeads: H } = options;
  const E = options.keysSize ?? Math.floor(hiddenSize / H);
  const D = options.valuesSize ?? Math.floor(hiddenSize / H);
  const linear = (name: string, inFeatures: number, outFeatures: number): Linear =>
    createLinear(store, { path: `${path}/${name}`, inFeatures, outFeatures });
  const query = linear('query_projection', hiddenSize, E * H);
  const key = linear('key_projection', hiddenSize, E * H);
  const value = linear('value_projection', hiddenSize, D * H);
  const out = linear('out_projection', D * H, hiddenSize);
  return {
    query,
    key,
    value,
    out,
    apply(queries, keys, values, ctx) {
      const [B, L] = queries.shape;
      const S = keys.shape[1];
      // The weights leave the tidy as part of its result: tf.keep would exempt them from every
      // enclosing tidy too (a network forward, a gradient step), leaking one tensor per call.
      return tf.tidy(() => {
        const project = (input: 'keys' | 'values', layer: Linear, x: tf.Tensor3D, width: number) =>
          skipUnread && inner.unread?.includes(input)
            ? tf.zeros([B, S, H, 0])
            : tf.reshape(layer.apply(x), [B, S, H, width]);
        const mixed = inner(
          tf.reshape(query.apply(queries), [B, L, H, E]),
          project('keys', key, keys, E) as tf.Tensor4D,
          project('values', value, values, D) as tf.Tensor4D,
          ctx,
        );
        const output = out.apply(tf.reshape(mixed.values, [B, L, H * D]) as tf.Tensor3D);
        return mixed.weights ? { output, weights: mixed.weights } : { output };
      });
    },
  };
}

/**
 * NeuralForecast's `FullAttention` as an {@link InnerAttention}: scaled dot-product attention,
 * causal when `causal` (its `mask_flag` with a `TriangularCausalMask`).
 */
export function fullAttention(options: {
  readonly causal: boolean;
  readonly dropout: number;
  readonly scale?: number;
}): InnerAttention {
  const mask: AttentionMask = options.causal ? { kind: 'causal' } : { kind: 'none' };
  return (queries, keys, values, ctx) =>
    scaledDotProductAttention(
      queries,
      keys,
      values,
      { mask, dropout: options.dropout, ...(options.scale === undefined ? {} : { scale: options.scale }) },
      ctx,
    );
}
