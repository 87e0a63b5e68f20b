import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../src/models/registry.js';
import { countParameters } from '../src/nn/params.js';
import { dims, useCpu } from './models-fixtures.js';
import { assignWeights, sigmoid } from './models-recurrent-fixtures.js';

beforeAll(useCpu);

describe('LSTM model', () => {
  it("has NeuralForecast's 215,809 parameters at its defaults (h=12, input_size=24)", () => {
    const net = MODELS.lstm.build(MODELS.lstm.configSchema.parse({}), dims({ h: 12, inputSize: 24 }), 1);
    // nn.LSTM layer: 4·hidden·(in + hidden + 2). Layer 0 (in 1): 4·128·131 = 67_072;
    // layer 1 (in 128): 4·128·258 = 132_096; decoder Linear(128,128) + Linear(128,1) = 16_641.
    expect(countParameters(net.variables)).toBe(67_072 + 132_096 + 16_641);
    net.dispose();
  });

  it("parses {} to NeuralForecast's LSTM signature defaults", () => {
    expect(MODELS.lstm.configSchema.parse({})).toEqual({
      inference_input_size: null,
      h_train: 1,
      encoder_n_layers: 2,
      encoder_hidden_size: 128,
      encoder_bias: true,
      encoder_dropout: 0,
      context_size: null,
      decoder_hidden_size: 128,
      decoder_layers: 2,
      recurrent: false,
    });
    expect(MODELS.lstm.commonDefaults).toMatchObject({
      max_steps: 1000,
      windows_batch_size: 128,
      scaler_type: 'robust',
    });
    expect(MODELS.lstm.exogenous).toEqual({ futr: true, hist: true, stat: true });
  });

  it('hand-set network: encoder input [y, hist, stat, futr], last state + horizon futr into the decoder', () => {
    // L = 2, h = 1, one column of each exogenous kind, one LSTM unit, a one-layer decoder.
    const d = dims({ h: 1, inputSize: 2, futrExogSize: 1, histExogSize: 1, statExogSize: 1 });
    const config = MODELS.lstm.configSchema.parse({
      encoder_n_layers: 1,
      encoder_hidden_size: 1,
      decoder_layers: 1,
    });
    const net = MODELS.lstm.build(config, d, 1);
    // W_ih rows are the encoder input columns in NeuralForecast's order, columns the gates i|f|g|o;
    // every row differs, so a wrong column order changes the forecast.
    const wIh = [
      [0.4, -0.3, 0.8, 0.1], // y
      [-0.2, 0.5, 0.3, -0.6], // hist
      [0.1, 0.2, -0.4, 0.3], // stat
      [0.7, -0.1, 0.2, 0.5], // futr (window part)
    ];
    const wHh = [0.3, -0.2, 0.6, 0.4];
    const bias = [0.05, 0.3, -0.05, -0.1]; // b_ih + b_hh
    assignWeights(net, {
      'hist_encoder/layer_0/ih/kernel': wIh,
      'hist_encoder/layer_0/hh/kernel': [wHh],
      'hist_encoder/layer_0/ih/bias': [0.05, 0.1, -0.05, 0],
      'hist_encoder/layer_0/hh/bias': [0, 0.2, 0, -0.1],
      'mlp_decoder/layer_0/kernel': [[1.2], [-0.7]],
      'mlp_decoder/layer_0/bias': [0.25],
    });
    const y = [0.5, -1];
    const hist = [0.2, 0.4];
    const stat = 1.5;
    const futr = [0.3, -0.6, 0.9];
    let h = 0;
    let c = 0;
    for (let t = 0; t < 2; t += 1) {
      const x = [y[t]!, hist[t]!, stat, futr[t]!];
      const pre = [0, 1, 2, 3].map(
        (g) => x.reduce((s, v, k) => s + v * wIh[k]![g]!, 0) + h * wHh[g]! + bias[g]!,
      );
      c = sigmoid(pre[1]!) * c + sigmoid(pre[0]!) * Math.tanh(pre[2]!);
      h = sigmoid(pre[3]!) * Math.tanh(c);
    }
    const want = 1.2 * h - 0.7 * futr[2]! + 0.25; // decoder on [h_L, futr at the horizon step]
    const batch = {
      insampleY: tf.tensor3d([y.map((v) => [v])]),
      insampleMask: tf.ones([1, 2, 1]) as tf.Tensor3D,
      histExog: tf.tensor3d([hist.map((v) => [v])]),
      statExog: tf.tensor2d([[stat]]),
      futrExog: tf.tensor3d([futr.map((v) => [v])]),
    };
    const out = net.forward(batch, { training: false });
    expect(out.shape).toEqual([1, 1, 1]);
    expect(out.dataSync()[0]).toBeCloseTo(want, 5);
    tf.dispose([out, ...Object.values(batch)]);
    net.dispose();
  });
});
