/**
 * Categorical embeddings in front of a univariate network (NeuralForecast 3.2's per-kind
 * `*_cat_embeddings`): each categorical channel of the futr, hist and stat streams is looked up in
 * its own table of K + 1 rows and the stream handed on as its continuous channels followed by the
 * embeddings. Row 0 belongs to values the vocabulary did not hold; as NeuralForecast, those read the
 * mean of the learned rows instead of row 0 (which therefore never trains, but is counted and saved).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelNetwork, WindowBatch } from '../model/types.js';
import { normalVariable } from '../nn/normal-init.js';
import { createParamStore } from '../nn/params.js';
import { codeChannels, type CategoricalLayout, type CategoricalColumn, type StreamLayout } from './layout.js';

/** The row index of each code: truncated as PyTorch's `.long()`; anything outside 0 … K reads row 0. */
const rowIndices = (codes: tf.Tensor1D, cardinality: number): tf.Tensor1D => {
  const valid = tf.logicalAnd(tf.greaterEqual(codes, 0), tf.lessEqual(codes, cardinality));
  return tf.cast(tf.where(valid, tf.floor(codes), tf.zerosLike(codes)), 'int32');
};

/** Looks codes [n] up in `table` [K + 1, d] with row 0 read as the mean of rows 1 … K: [n, d]. */
export const lookupEmbedding = (codes: tf.Tensor1D, table: tf.Tensor2D): tf.Tensor2D => {
  const rows = table.shape[0];
  const learned = tf.slice(table, [1, 0], [rows - 1, -1]);
  const effective = tf.concat([tf.mean(learned, 0, true), learned], 0);
  // A one-hot product rather than a gather: its gradient is a matmul, which every backend has.
  const oneHot = tf.cast(tf.oneHot(rowIndices(codes, rows - 1), rows), 'float32') as tf.Tensor2D;
  return tf.matMul(oneHot, effective);
};

/** One stream [..., C] as the network sees it: [..., continuous + Σ dims]. */
const embedStream = (
  x: tf.Tensor,
  stream: StreamLayout,
  tables: ReadonlyMap<CategoricalColumn, tf.Variable>,
): tf.Tensor => {
  if (stream.categorical.length === 0) return x;
  const axis = x.rank - 1;
  const lead = x.shape.slice(0, axis);
  const pieces: tf.Tensor[] = [];
  if (stream.continuous.length > 0) pieces.push(tf.gather(x, stream.continuous, axis));
  for (const column of stream.categorical) {
    const codes = tf.reshape(tf.gather(x, [column.channel], axis), [-1]) as tf.Tensor1D;
    const embedded = lookupEmbedding(codes, tables.get(column) as tf.Variable as tf.Tensor2D);
    pieces.push(tf.reshape(embedded, [...lead, column.dim]));
  }
  return pieces.length === 1 ? (pieces[0] as tf.Tensor) : tf.concat(pieces, axis);
};

/**
 * Wraps `inner` (built for the layout's widened sizes) so it reads raw streams whose categorical
 * channels hold codes. The tables draw N(0, 1) as PyTorch's `nn.Embedding` from a store seeded
 * like the model's.
 */
export const withCategoricalEmbeddings = (
  inner: ModelNetwork,
  layout: CategoricalLayout,
  options: { readonly modelId: string; readonly seed: number },
): ModelNetwork => {
  const store = createParamStore(options.modelId, options.seed);
  const tables = new Map<CategoricalColumn, tf.Variable>();
  for (const kind of ['hist', 'futr', 'stat'] as const)
    layout[kind].categorical.forEach((column, i) =>
      tables.set(
        column,
        normalVariable(store, `${kind}_cat_embeddings/${i}/weight`, [column.cardinality + 1, column.dim], 1),
      ),
    );
  const embed = (batch: WindowBatch): WindowBatch => ({
    ...batch,
    ...(batch.futrExog ? { futrExog: embedStream(batch.futrExog, layout.futr, tables) as tf.Tensor3D } : {}),
    ...(batch.histExog ? { histExog: embedStream(batch.histExog, layout.hist, tables) as tf.Tensor3D } : {}),
    ...(batch.statExog ? { statExog: embedStream(batch.statExog, layout.stat, tables) as tf.Tensor2D } : {}),
  });
  return {
    ...inner,
    // The model's own weights first, so a save's variable order starts as the plain model's.
    variables: [...inner.variables, ...store.variables],
    categoricalChannels: codeChannels(layout),
    forward: (batch, forwardOptions) => tf.tidy(() => inner.forward(embed(batch), forwardOptions)),
    dispose() {
      inner.dispose();
      store.dispose();
    },
  };
};
