/**
 * NeuralForecast's `AttentiveLSTMLayer` (DilatedRNN's 'AttentiveLSTM'): before every step, an
 * additive attention over the layer's whole input sequence, scored from each input with the current
 * (h, c), picks a weighted mean of the inputs that the LSTM cell then reads:
 *   e_s = w₂·tanh(W₁ [x_s, h, c] + b₁) + b₂;  β = softmax_s(e);  h', c' = LSTM(Σ_s β_s x_s, (h, c)).
 * The attention spans every step of the (dilated, padded) sequence, the later ones included, so
 * unlike the other cells it sees NeuralForecast's end padding.
 * @see Bahdanau, Cho & Bengio (2015), "Neural Machine Translation by Jointly Learning to Align and Translate". https://arxiv.org/abs/1409.0473
 */
import * as tf from '@tensorflow/tfjs-core';
import { createLinear } from '../../nn/linear.js';
import type { ParamStore } from '../../nn/params.js';
import { createLstmCell } from '../recurrent/lstm-cell.js';
import { zeroState } from '../recurrent/unroll.js';
import type { SequenceLayer } from './drnn.js';
import { fillRandn } from './randn.js';

/** Options of {@link createAttentiveLstmLayer}. */
export interface AttentiveLstmOptions {
  /** Variable path, e.g. `rnn_stack/0/cells/0`. */
  readonly path: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
}

/**
 * Creates the layer: NeuralForecast's `LSTMCell` (the gate maths of `nn.LSTM`, so the engine's
 * LSTM cell, but with its N(0, 1) `torch.randn` initial weights), then `attn_layer` =
 * Linear(in + 2·hidden, hidden), tanh, Linear(hidden, 1) with PyTorch's default initialisation.
 */
export function createAttentiveLstmLayer(store: ParamStore, options: AttentiveLstmOptions): SequenceLayer {
  const { path, inputSize: I, hiddenSize: H } = options;
  const cell = createLstmCell(store, { path: `${path}/cell`, inputSize: I, hiddenSize: H });
  for (const v of [cell.weightIh, cell.weightHh, cell.biasIh, cell.biasHh]) if (v) fillRandn(store, v);
  const score = createLinear(store, { path: `${path}/attn_layer/0`, inFeatures: I + 2 * H, outFeatures: H });
  const out = createLinear(store, { path: `${path}/attn_layer/2`, inFeatures: H, outFeatures: 1 });
  // Batch-first inside: the attention reads each window's steps as one [T, I] matrix.
  return (sequence) =>
    tf.tidy(() => {
      const x = tf.transpose(sequence, [1, 0, 2]) as tf.Tensor3D; // [T, N, I] -> [N, T, I]
      const [N, T] = x.shape;
      // W₁'s rows follow NeuralForecast's concatenation order (inputs, hx, cx).
      const [wx, wh, wc] = tf.split(score.kernel, [I, H, H], 0) as tf.Tensor2D[];
      const fromX = tf.reshape(tf.matMul(tf.reshape(x, [N * T, I]), wx!), [N, T, H]); // [N, T, H], once per sequence
      let state = zeroState(cell, N);
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t += 1) {
        const [h, c] = state as [tf.Tensor2D, tf.Tensor2D];
        const fromState = tf.add(tf.add(tf.matMul(h, wh!), tf.matMul(c, wc!)), score.bias!); // [N, H]
        const hiddenScore = tf.tanh(tf.add(fromX, tf.expandDims(fromState, 1))); // [N, T, H]
        const logits = out.apply(hiddenScore); // [N, T, 1]
        const beta = tf.softmax(tf.squeeze(logits, [2])); // softmax over the T steps: [N, T]
        const context = tf.squeeze(tf.matMul(tf.expandDims(beta, 1), x), [1]) as tf.Tensor2D; // [N, 1, T]·[N, T, I] -> [N, I]
        state = cell.step(context, state);
        outputs.push(state[0] as tf.Tensor2D);
      }
      return tf.stack(outputs, 0) as tf.Tensor3D; // T × [N, H] -> [T, N, H]
    });
}
