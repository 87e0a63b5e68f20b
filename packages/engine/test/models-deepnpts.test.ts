import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import { NeuralForecast } from '../src/core/neural-forecast.js';
import { createBatchNorm } from '../src/nn/batch-norm.js';
import { deepnpts } from '../src/models/deepnpts/deepnpts.js';
import { weightedMixture } from '../src/models/deepnpts/mixture.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const evalCtx = createForwardContext({ training: false }, new Rng(1));

describe('DeepNPTS weighted mixture', () => {
  it('weighs the window values by the softmax of their scores, per horizon step', () => {
    // L = 2, H = 2; scores laid out [l*H + j]: step 0 scores (0, 0), step 1 scores (ln 3, 0).
    const scores = tf.tensor2d([[0, Math.log(3), 0, 0]]);
    const y = tf.tensor3d([[[10], [20]]]); // [1, 2, 1]
    const out = weightedMixture(scores, y, 2);
    expect(out.shape).toEqual([1, 2, 1]);
    const [step0, step1] = Array.from(out.dataSync());
    expect(step0).toBeCloseTo(0.5 * 10 + 0.5 * 20, 5); // 15
    expect(step1).toBeCloseTo(0.75 * 10 + 0.25 * 20, 5); // 12.5
    tf.dispose([scores, y, out]);
  });

  it('never leaves the range of the window (weights are non-negative and sum to 1)', () => {
    const scores = tf.tensor2d([[50, -50, 3, 7, -2, 0]]); // L = 3, H = 2
    const y = tf.tensor3d([[[-1], [4], [2]]]);
    const values = Array.from(weightedMixture(scores, y, 2).dataSync());
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(-1 - 1e-6);
      expect(v).toBeLessThanOrEqual(4 + 1e-6);
    }
    // Step 0 scores (50, 3, -2): all weight on y_0 = -1.
    expect(values[0]).toBeCloseTo(-1, 5);
    tf.dispose([scores, y]);
  });
});

describe('DeepNPTS batch norm (PyTorch BatchNorm1d)', () => {
  it('normalises by batch statistics in training and moves the running ones with momentum 0.1', () => {
    const store = createParamStore('bn-test', 1);
    const norm = createBatchNorm(store, 'bn', 1);
    const x = tf.tensor2d([[1], [3]]); // mean 2, biased var 1, unbiased var 2
    const train = norm.apply(x, createForwardContext({ training: true, seed: 1 }, store.rng));
    const s = Math.sqrt(1 + 1e-5);
    expect(Array.from(train.dataSync())[0]).toBeCloseTo(-1 / s, 5);
    expect(Array.from(train.dataSync())[1]).toBeCloseTo(1 / s, 5);
    expect(norm.runningMean.dataSync()[0]).toBeCloseTo(0.9 * 0 + 0.1 * 2, 6); // 0.2
    expect(norm.runningVar.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * 2, 6); // 1.1
    const one = tf.tensor2d([[1]]);
    const inference = norm.apply(one, evalCtx);
    expect(inference.dataSync()[0]).toBeCloseTo((1 - 0.2) / Math.sqrt(1.1 + 1e-5), 5);
    expect(norm.runningMean.trainable).toBe(false);
    tf.dispose([x, train, one, inference]);
    store.dispose();
  });
});

describe('DeepNPTS network', () => {
  it("has NeuralForecast's 11,488 parameters at h=12, input_size=24 (running stats are buffers)", () => {
    // Linear(24,32) = 800, BN 64, Linear(32,32) = 1_056, BN 64, Linear(32, 24*12) = 9_504.
    const net = deepnpts.build(deepnpts.configSchema.parse({}), dims({ h: 12, inputSize: 24 }), 1);
    expect(countParameters(net.variables)).toBe(11_488);
    net.dispose();
  });

  it('forecasts the window mean when the output layer scores every value alike', () => {
    const d = dims({ h: 3, inputSize: 4, futrExogSize: 1, histExogSize: 2, statExogSize: 1 });
    const net = deepnpts.build(deepnpts.configSchema.parse({ hidden_size: 8 }), d, 3);
    const out = net.variables.filter((v) => v.name.includes('/out/'));
    expect(out).toHaveLength(2);
    for (const v of out) v.assign(tf.zerosLike(v));
    const batch = randomBatch(d, 5);
    const forecast = net.forward(batch, { training: false });
    const mean = tf.mean(batch.insampleY, 1); // [5, 1]
    const expected = Array.from(mean.dataSync()).flatMap((m) => [m, m, m]);
    const got = Array.from(forecast.dataSync());
    expect(forecast.shape).toEqual([5, 3, 1]);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    tf.dispose([forecast, mean]);
    disposeBatch(batch);
    net.dispose();
  });

  it('refuses a loss with more than one output per step, as NeuralForecast', () => {
    expect(() =>
      deepnpts.build(deepnpts.configSchema.parse({}), dims({ h: 2, inputSize: 4, nOutputs: 3 }), 1),
    ).toThrow(ConfigError);
  });

  it('refuses every distribution loss, a one-parameter Poisson included, before building (registry pointLossOnly)', () => {
    const model = (loss: unknown) => () =>
      new NeuralForecast({ models: [{ id: 'deepnpts', config: { h: 2, input_size: 4, loss } }], freq: 1 });
    expect(model({ id: 'distributionloss', distribution: 'Poisson' })).toThrow(
      "model 'DeepNPTS' (DeepNPTS) trains with point losses only (mae, mse, …); 'distributionloss' is a distribution loss",
    );
    expect(model('mqloss')).toThrow(/'mqloss' asks for \d+ outputs per step/);
    expect(model('mae')).not.toThrow();
  });
});
