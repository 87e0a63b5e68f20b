/**
 * NeuralForecast's `DataEmbedding` (common/_modules.py), shared by TimesNet and the transformer
 * models: a value embedding (`TokenEmbedding`: kernel-3 Conv1d with circular padding, no bias),
 * plus the fixed sinusoidal `PositionalEmbedding` when `pos_embedding=True` (TimesNet,
 * VanillaTransformer, Informer; Autoformer and FEDformer leave it out), plus a bias-free linear
 * `TimeFeatureEmbedding` of the future exogenous columns when there are any, then dropout.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';
import { dropout } from './dropout.js';
import { createLinear, type Linear } from './linear.js';
import type { ParamStore } from './params.js';
import { normalVariable } from './normal-init.js';

/** Options of {@link createDataEmbedding}. */
export interface DataEmbeddingOptions {
  /** Variable path prefix (`enc_embedding`). */
  readonly path: string;
  /** Channels of the embedded series (TimesNet: 1, the target). */
  readonly inChannels: number;
  /** Exogenous columns of the temporal embedding; 0 leaves it out. */
  readonly exogSize: number;
  /** Embedding width; even, as the sine/cosine pairs of the positional embedding need. */
  readonly hiddenSize: number;
  readonly dropout: number;
  /** NeuralForecast's `pos_embedding`: add the sinusoidal positional table. @default true */
  readonly positional?: boolean;
}

/** The embedding `[B, L, C_in] (+ [B, L, F]) -> [B, L, hidden]`. */
export interface DataEmbedding {
  /** [3·C_in, hidden]: row j·C_in + c holds tap j (reads x[t+j−1], circularly) of channel c. */
  readonly tokenKernel: tf.Variable;
  readonly temporal: Linear | undefined;
  apply(x: tf.Tensor3D, mark: tf.Tensor3D | undefined, ctx: ForwardContext): tf.Tensor3D;
}

/**
 * The sinusoidal table [L, d]: column 2i is sin(pos·ω_i), column 2i+1 is cos(pos·ω_i), with
 * ω_i = exp(−2i·ln(10000)/d) (NeuralForecast's `PositionalEmbedding`, first L rows).
 */
export function positionalTable(L: number, d: number): Float32Array {
  const table = new Float32Array(L * d);
  for (let pos = 0; pos < L; pos += 1) {
    for (let i = 0; 2 * i < d; i += 1) {
      const omega = Math.exp(-(2 * i) * (Math.log(10000) / d));
      table[pos * d + 2 * i] = Math.sin(pos * omega);
      if (2 * i + 1 < d) table[pos * d + 2 * i + 1] = Math.cos(pos * omega);
    }
  }
  return table;
}

/**
 * Creates the embedding. The token conv is initialised as NeuralForecast does,
 * `kaiming_normal_(mode='fan_in', nonlinearity='leaky_relu')` with slope 0: std = √2 / √(3·C_in).
 */
export function createDataEmbedding(store: ParamStore, options: DataEmbeddingOptions): DataEmbedding {
  const { path, inChannels: C, hiddenSize: d } = options;
  const tokenKernel = normalVariable(
    store,
    `${path}/value_embedding/kernel`,
    [3 * C, d],
    Math.sqrt(2 / (3 * C)),
  );
  const temporal =
    options.exogSize > 0
      ? createLinear(store, {
          path: `${path}/temporal_embedding`,
          inFeatures: options.exogSize,
          outFeatures: d,
          bias: false,
        })
      : undefined;
  let table: { L: number; values: Float32Array } | undefined;
  return {
    tokenKernel,
    temporal,
    apply(x, mark, ctx) {
      return tf.tidy(() => {
        const [B, L] = x.shape;
        if (table?.L !== L) table = { L, values: positionalTable(L, d) };
        // Circular padding: x[L−1] before the window and x[0] after it.
        const wrapped = tf.concat(
          [tf.slice(x, [0, L - 1, 0], [B, 1, C]), x, tf.slice(x, [0, 0, 0], [B, 1, C])],
          1,
        ); // [B, L+2, C]
        const taps = [0, 1, 2].map((j) => tf.slice(wrapped, [0, j, 0], [B, L, C]));
        const unfolded = tf.reshape(tf.concat(taps, 2), [B * L, 3 * C]); // [B·L, 3C]
        let out = tf.reshape(tf.matMul(unfolded, tokenKernel), [B, L, d]) as tf.Tensor3D; // [B, L, d]
        if (options.positional !== false) out = tf.add(out, tf.tensor3d(table.values, [1, L, d]));
        if (temporal && mark) out = tf.add(out, temporal.apply(mark));
        return dropout(out, options.dropout, ctx);
      });
    },
  };
}
