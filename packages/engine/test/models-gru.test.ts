import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../src/models/registry.js';
import { countParameters } from '../src/nn/params.js';
import { dims, useCpu } from './models-fixtures.js';
import { assignWeights, sigmoid } from './models-recurrent-fixtures.js';

beforeAll(useCpu);

/** Parameters of GRU at its defaults plus `overrides`, built for `d`. */
function parameterCount(d: ReturnType<typeof dims>, overrides: Record<string, unknown> = {}): number {
  const net = MODELS.gru.build(MODELS.gru.configSchema.parse(overrides), d, 1);
  const count = countParameters(net.variables);
  net.dispose();
  return count;
}

describe('GRU model', () => {
  it("has NeuralForecast's 388,857 parameters at its defaults (h=12, input_size=24)", () => {
    // nn.GRU layer: 3·hidden·(in + hidden + 2). Layer 0 (in 1): 3·200·203 = 121_800;
    // layer 1 (in 200): 3·200·402 = 241_200; decoder Linear(200,128) + Linear(128,1) = 25_857.
    expect(parameterCount(dims({ h: 12, inputSize: 24 }))).toBe(121_800 + 241_200 + 25_857);
    // futr 2, hist 3, stat 1: layer 0 reads 1+3+1+2 = 7 columns (3·200·209 = 125_400) and the
    // decoder's first layer 200+2 (Linear(202,128) = 25_984).
    const exog = dims({ h: 12, inputSize: 24, futrExogSize: 2, histExogSize: 3, statExogSize: 1 });
    expect(parameterCount(exog)).toBe(125_400 + 241_200 + 25_984 + 129);
  });

  it("parses {} to NeuralForecast's GRU signature defaults, and takes the deprecated encoder_activation", () => {
    expect(MODELS.gru.configSchema.parse({})).toEqual({
      inference_input_size: null,
      h_train: 1,
      encoder_n_layers: 2,
      encoder_hidden_size: 200,
      encoder_activation: null,
      encoder_bias: true,
      encoder_dropout: 0,
      context_size: null,
      decoder_hidden_size: 128,
      decoder_layers: 2,
      recurrent: false,
    });
    // NeuralForecast only warns for it: the GRU cell's activations are fixed either way.
    const d = dims({ h: 12, inputSize: 24 });
    expect(parameterCount(d, { encoder_activation: 'relu' })).toBe(388_857);
    expect(MODELS.gru.commonDefaults).toMatchObject({
      max_steps: 1000,
      windows_batch_size: 128,
      scaler_type: 'robust',
    });
  });

  it('hand-set network: two stacked units, time upsampling for h > input_size, ReLU decoder', () => {
    // L = 2, h = 3: upsample_sequence = Linear(2, 3) over the time axis of the top layer's states.
    const d = dims({ h: 3, inputSize: 2 });
    const config = MODELS.gru.configSchema.parse({ encoder_hidden_size: 1, decoder_hidden_size: 2 });
    const net = MODELS.gru.build(config, d, 1);
    // Per layer, gate columns r|z|n; [W_ih, W_hh, b_ih, b_hh].
    const layers = [
      { ih: [0.5, -1, 2], hh: [0.3, 0.1, -0.4], bih: [0.1, 0, 0.2], bhh: [0, 0.2, 0.5] },
      { ih: [-0.6, 0.4, 1.1], hh: [0.2, -0.3, 0.7], bih: [0, 0.1, -0.2], bhh: [0.3, 0, 0.1] },
    ];
    const up = {
      kernel: [
        [0.5, -0.25, 1],
        [1.5, 0.75, -1],
      ],
      bias: [0, 0.1, -0.1],
    }; // [L, h]
    const dec = { k0: [[1.5, -2]], b0: [0.1, -0.3], k1: [[0.8], [-1.1]], b1: [0.05] };
    assignWeights(net, {
      ...Object.fromEntries(
        layers.flatMap((w, i) => [
          [`hist_encoder/layer_${i}/ih/kernel`, [w.ih]],
          [`hist_encoder/layer_${i}/hh/kernel`, [w.hh]],
          [`hist_encoder/layer_${i}/ih/bias`, w.bih],
          [`hist_encoder/layer_${i}/hh/bias`, w.bhh],
        ]),
      ),
      'mlp_decoder/layer_0/kernel': dec.k0,
      'mlp_decoder/layer_0/bias': dec.b0,
      'mlp_decoder/layer_1/kernel': dec.k1,
      'mlp_decoder/layer_1/bias': dec.b1,
      'upsample_sequence/kernel': up.kernel,
      'upsample_sequence/bias': up.bias,
    });
    // Each layer runs over the whole window from h = 0 before the next reads its outputs.
    let seq = [0.8, -0.4];
    for (const w of layers) {
      let h = 0;
      seq = seq.map((x) => {
        const r = sigmoid(x * w.ih[0]! + w.bih[0]! + h * w.hh[0]! + w.bhh[0]!);
        const z = sigmoid(x * w.ih[1]! + w.bih[1]! + h * w.hh[1]! + w.bhh[1]!);
        const n = Math.tanh(x * w.ih[2]! + w.bih[2]! + r * (h * w.hh[2]! + w.bhh[2]!));
        h = (1 - z) * n + z * h;
        return h;
      });
    }
    const want = [0, 1, 2].map((j) => {
      const u = seq[0]! * up.kernel[0]![j]! + seq[1]! * up.kernel[1]![j]! + up.bias[j]!; // state at horizon step j
      const hidden = [0, 1].map((k) => Math.max(0, u * dec.k0[0]![k]! + dec.b0[k]!));
      return hidden[0]! * dec.k1[0]![0]! + hidden[1]! * dec.k1[1]![0]! + dec.b1[0]!;
    });
    const batch = {
      insampleY: tf.tensor3d([[[0.8], [-0.4]]]),
      insampleMask: tf.ones([1, 2, 1]) as tf.Tensor3D,
    };
    const out = net.forward(batch, { training: false });
    expect(out.shape).toEqual([1, 3, 1]);
    Array.from(out.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 5));
    tf.dispose([out, batch.insampleY, batch.insampleMask]);
    net.dispose();
  });
});
