import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { NeuralForecast } from '../src/core/index.js';
import { MODELS } from '../src/models/registry.js';
import { createDilatedConv1d } from '../src/nn/dilated-conv1d.js';
import { createParamStore } from '../src/nn/params.js';

beforeAll(async () => {
  await setBackend('wasm');
});

/** A causal conv with hand-set weights: C_in = 2, C_out = 1, K = 2, dilation 2. */
function handConv(activation?: 'ReLU') {
  const store = createParamStore('tcn-test', 1);
  const conv = createDilatedConv1d(store, {
    path: 'conv',
    inChannels: 2,
    outChannels: 1,
    kernelSize: 2,
    dilation: 2,
    ...(activation ? { activation } : {}),
  });
  // Rows: tap 0 (reads x[t-2]) channels 0,1 then tap 1 (reads x[t]) channels 0,1.
  conv.linear.kernel.assign(tf.tensor2d([[1], [10], [100], [1000]]));
  conv.linear.bias?.assign(tf.tensor1d([0.5]));
  return { conv, store };
}

describe('createDilatedConv1d, backward mode (dilated causal conv, a matMul per tap)', () => {
  it('computes y[t] = b + W0·x[t-d] + W1·x[t] with zeros before the window, by hand', () => {
    const { conv, store } = handConv();
    // x[t] = [t+1, -(t+1)] for t = 0..4, one window.
    const x = tf.tensor([1, -1, 2, -2, 3, -3, 4, -4, 5, -5], [1, 5, 2]) as tf.Tensor3D;
    const y = conv.apply(x);
    expect(y.shape).toEqual([1, 5, 1]);
    // t=0,1: x[t-2] = 0, so y = 0.5 + 100(t+1) - 1000(t+1) = 0.5 - 900(t+1).
    // t>=2:  y = 0.5 + (t-1) - 10(t-1) + 100(t+1) - 1000(t+1) = 0.5 - 9(t-1) - 900(t+1).
    expect(Array.from(y.dataSync())).toEqual([-899.5, -1799.5, -2708.5, -3617.5, -4526.5]);
    tf.dispose([x, y]);
    store.dispose();
  });

  it('applies the activation after the bias (ReLU zeroes the negative outputs)', () => {
    const { conv, store } = handConv('ReLU');
    const x = tf.tensor([0, 0, 0, 0, -1, 0.01], [1, 3, 2]) as tf.Tensor3D;
    // t=0,1: 0.5; t=2: 0.5 + 0 (x[0]) + 100·(-1) + 1000·0.01 = -89.5 -> 0.
    expect(Array.from(conv.apply(x).dataSync())).toEqual([0.5, 0.5, 0]);
    tf.dispose(x);
    store.dispose();
  });

  it('is causal: changing inputs after t leaves outputs up to t unchanged, through a dilated stack', () => {
    const store = createParamStore('tcn-test', 7);
    const layers = [1, 2, 4].map((dilation, i) =>
      createDilatedConv1d(store, {
        path: `layer_${i}`,
        inChannels: i === 0 ? 3 : 4,
        outChannels: 4,
        kernelSize: 3,
        dilation,
        activation: 'Tanh',
      }),
    );
    const run = (x: tf.Tensor3D) => layers.reduce((h, layer) => layer.apply(h), x);
    const base = tf.randomNormal([2, 12, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const before = run(base).arraySync();
    for (const t of [0, 5, 10]) {
      // Perturb every step after t.
      const mask = tf.concat([tf.zeros([2, t + 1, 3]), tf.ones([2, 11 - t, 3])], 1);
      const changed = tf.add(base, tf.mul(mask, 50)) as tf.Tensor3D;
      const after = run(changed).arraySync();
      for (let b = 0; b < 2; b += 1) {
        expect(after[b]?.slice(0, t + 1)).toEqual(before[b]?.slice(0, t + 1));
        expect(after[b]?.[t + 1]).not.toEqual(before[b]?.[t + 1]);
      }
      tf.dispose([mask, changed]);
    }
    base.dispose();
    store.dispose();
  });

  it('initialises like nn.Conv1d: weights and bias within ±1/√(C_in·K)', () => {
    const store = createParamStore('tcn-test', 3);
    const conv = createDilatedConv1d(store, {
      path: 'c',
      inChannels: 4,
      outChannels: 16,
      kernelSize: 4,
      dilation: 1,
    });
    expect(conv.linear.kernel.shape).toEqual([16, 16]);
    for (const v of store.variables)
      expect(Math.max(...v.dataSync().map(Math.abs))).toBeLessThanOrEqual(0.25);
    store.dispose();
  });
});

describe('TCN', () => {
  it("has NeuralForecast's parameter count at its defaults (h=12, input_size=36, MAE)", () => {
    const config = MODELS.tcn.configSchema.parse({});
    const net = MODELS.tcn.build(
      config,
      { h: 12, inputSize: 36, futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1 },
      1,
    );
    // Conv layers: (1·2·128 + 128) + 4·(128·2·128 + 128); adapter 36·12 + 12; decoder (128·128 + 128) + (128 + 1).
    const expected = 384 + 4 * 32_896 + 444 + 16_512 + 129;
    expect(net.variables.reduce((n, v) => n + v.size, 0)).toBe(expected);
    net.dispose();
  });

  it('does not let future exogenous values beyond the window reach the encoder, only the decoder step', () => {
    const config = MODELS.tcn.configSchema.parse({
      dilations: [1, 2],
      encoder_hidden_size: 4,
      decoder_hidden_size: 4,
    });
    const d = { h: 3, inputSize: 5, futrExogSize: 1, histExogSize: 0, statExogSize: 0, nOutputs: 1 };
    const net = MODELS.tcn.build(config, d, 2);
    const insampleY = tf.randomNormal([1, 5, 1], 0, 1, 'float32', 1) as tf.Tensor3D;
    const insampleMask = tf.onesLike(insampleY);
    const futr = tf.randomNormal([1, 8, 1], 0, 1, 'float32', 2) as tf.Tensor3D;
    const out = (f: tf.Tensor3D) =>
      net.forward({ insampleY, insampleMask, futrExog: f }, { training: false }).arraySync();
    const base = out(futr);
    // Changing only the last horizon step's futr value changes only that step's forecast.
    const bumped = tf.add(futr, tf.mul(tf.reshape(tf.oneHot([7], 8), [1, 8, 1]), 10)) as tf.Tensor3D;
    const after = out(bumped);
    expect(after[0]?.slice(0, 2)).toEqual(base[0]?.slice(0, 2));
    expect(after[0]?.[2]).not.toEqual(base[0]?.[2]);
    tf.dispose([insampleY, insampleMask, futr, bumped]);
    net.dispose();
  });

  it('rejects recurrent / h_train with a ConfigError: NeuralForecast 3.2 TCN is direct and has neither', () => {
    for (const key of ['recurrent', 'h_train']) {
      const build = (): unknown =>
        new NeuralForecast({ models: [{ id: 'tcn', config: { h: 4, input_size: 8, [key]: 1 } }], freq: 1 });
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(new RegExp(`unknown config key '${key}'`));
    }
  });
});
