/**
 * TimeLLM's reprogramming layer (NeuralForecast's `ReprogrammingLayer`): multi-head cross-attention
 * from the patch embeddings (queries) to a small set of text prototypes (keys and values, the
 * LLM's word embeddings mapped to `num_tokens` rows), projected to the LLM's width. Each head is
 * `d_keys` wide (NeuralForecast passes `d_ff`); the attention weights get a fixed dropout of 0.1.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';

/** NeuralForecast's `attention_dropout` default, which TimeLLM never overrides. */
const ATTENTION_DROPOUT = 0.1;

/** Options of {@link createReprogramming}. */
export interface ReprogrammingOptions {
  /** Variable path prefix (`reprogramming_layer`). */
  readonly path: string;
  /** Width of the patch embeddings (`d_model`). */
  readonly dModel: number;
  readonly nHeads: number;
  /** Width of each head (`d_keys`, TimeLLM's `d_ff`). */
  readonly dKeys: number;
  /** Width of the LLM's embeddings (`d_llm`). */
  readonly dLlm: number;
}

/** The layer: patches [B, P, d_model] and prototypes [S, d_llm] -> [B, P, d_llm]. */
export interface Reprogramming {
  apply(target: tf.Tensor3D, source: tf.Tensor2D, ctx: ForwardContext): tf.Tensor3D;
}

/** Creates the four projections in NeuralForecast's order: query, key, value, out. */
export function createReprogramming(store: ParamStore, options: ReprogrammingOptions): Reprogramming {
  const { path, dModel, nHeads: H, dKeys: E, dLlm } = options;
  const linear = (name: string, inFeatures: number, outFeatures: number) =>
    createLinear(store, { path: `${path}/${name}`, inFeatures, outFeatures });
  const query = linear('query_projection', dModel, E * H);
  const key = linear('key_projection', dLlm, E * H);
  const value = linear('value_projection', dLlm, E * H);
  const out = linear('out_projection', E * H, dLlm);
  return {
    apply(target, source, ctx) {
      return tf.tidy(() => {
        const [B, P] = target.shape;
        const S = source.shape[0];
        // Queries [B·P, H·E] -> [H, B·P, E]; keys and values [S, H·E] -> [H, S, E] (no batch axis).
        const q = tf.transpose(tf.reshape(query.apply(target), [B * P, H, E]), [1, 0, 2]);
        const k = tf.transpose(tf.reshape(key.apply(source), [S, H, E]), [1, 0, 2]);
        const v = tf.transpose(tf.reshape(value.apply(source), [S, H, E]), [1, 0, 2]);
        const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(E)); // [H, B·P, S]
        const weights = dropout(tf.softmax(scores), ATTENTION_DROPOUT, ctx);
        const mixed = tf.matMul(weights, v); // [H, B·P, E]
        const merged = tf.reshape(tf.transpose(mixed, [1, 0, 2]), [B, P, H * E]) as tf.Tensor3D; // [B, P, H·E]
        return out.apply(merged);
      });
    },
  };
}
