/**
 * TimeXer's endogenous embedding (NeuralForecast's `EnEmbedding`): each series' window cut into
 * non-overlapping patches, every patch embedded by one bias-free dense layer plus the sinusoidal
 * position of the patch, and one learnable global token per series appended after its patches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { positionalTable } from '../../nn/data-embedding.js';
import { dropout } from '../../nn/dropout.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { createLinear, type Linear } from '../../nn/linear.js';
import { normalVariable } from '../../nn/normal-init.js';
import type { ParamStore } from '../../nn/params.js';

/** Options of {@link createPatchEmbedding}. */
export interface PatchEmbeddingOptions {
  /** Variable path prefix (`en_embedding`). */
  readonly path: string;
  /** Series N, each with its own global token. */
  readonly nSeries: number;
  /** Steps per patch (`patch_len`). */
  readonly patchLen: number;
  /** Patches P per window: ⌊L / patch_len⌋ (the last L mod patch_len steps belong to no patch, as `unfold` drops them). */
  readonly nPatches: number;
  /** Token width E (`hidden_size`). */
  readonly hiddenSize: number;
  readonly dropout: number;
}

/** The endogenous embedding: windows [B, L, N] -> tokens [B·N, P+1, E], the global token last. */
export interface PatchEmbedding {
  readonly valueEmbedding: Linear;
  /** [1, N, 1, E] global tokens, N(0, 1) at initialisation (`torch.randn`). */
  readonly globalToken: tf.Variable;
  apply(x: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D;
}

/** Creates `<path>/value_embedding` (Linear(patch_len, E), no bias) then `<path>/glb_token/weight`, NeuralForecast's order. */
export function createPatchEmbedding(store: ParamStore, options: PatchEmbeddingOptions): PatchEmbedding {
  const { path, nSeries: N, patchLen, nPatches: P, hiddenSize: E } = options;
  const valueEmbedding = createLinear(store, {
    path: `${path}/value_embedding`,
    inFeatures: patchLen,
    outFeatures: E,
    bias: false,
  });
  const globalToken = normalVariable(store, `${path}/glb_token/weight`, [1, N, 1, E], 1);
  const positions = positionalTable(P, E); // [P, E], fixed: a buffer, not a variable
  return {
    valueEmbedding,
    globalToken,
    apply(x, ctx) {
      return tf.tidy(() => {
        const [B] = x.shape;
        const series = tf.transpose(tf.slice(x, [0, 0, 0], [B, P * patchLen, N]), [0, 2, 1]); // [B, L, N] -> [B, N, P·patch_len]
        const patches = tf.reshape(series, [B * N, P, patchLen]); // [B·N, P, patch_len]
        const embedded = tf.add(valueEmbedding.apply(patches), tf.tensor3d(positions, [1, P, E])); // [B·N, P, E]
        const glb = tf.reshape(tf.tile(globalToken, [B, 1, 1, 1]), [B * N, 1, E]); // [1, N, 1, E] -> [B·N, 1, E]
        return dropout(tf.concat([embedded, glb], 1) as tf.Tensor3D, options.dropout, ctx); // [B·N, P+1, E]
      });
    },
  };
}
