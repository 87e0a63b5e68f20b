import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import {
  ACTIVATIONS,
  countParameters,
  createActivation,
  createForwardContext,
  createLayerNorm,
  createLinear,
  createMlp,
  createParamStore,
  dropout,
  logicalName,
} from '../src/nn/index.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

describe('createLinear', () => {
  it('initialises weight and bias within ±1/sqrt(fan_in) and computes x W + b', () => {
    const store = createParamStore('t', 3);
    const layer = createLinear(store, { path: 'dense', inFeatures: 16, outFeatures: 8 });
    const bound = 1 / Math.sqrt(16);
    const w = Array.from(layer.kernel.dataSync());
    const b = Array.from(layer.bias?.dataSync() ?? []);
    expect(w).toHaveLength(128);
    expect(b).toHaveLength(8);
    for (const v of [...w, ...b]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    // The draws fill the whole range, not a narrower one.
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    const x = tf.ones([2, 3, 16]);
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 3, 8]);
    const expected = tf.add(tf.sum(layer.kernel, 0), layer.bias as tf.Variable);
    expect(Array.from(y.dataSync().slice(0, 8))).toEqual(
      Array.from(expected.dataSync()).map((v) => expect.closeTo(v, 5)),
    );
    tf.dispose([x, y, expected]);
    store.dispose();
  });

  it('names variables <model>/<path>/<kind> in creation order and counts parameters', () => {
    const store = createParamStore('demo', 1);
    createLinear(store, { path: 'block_0/layer_0', inFeatures: 3, outFeatures: 2 });
    createLinear(store, { path: 'block_0/layer_1', inFeatures: 2, outFeatures: 1, bias: false });
    expect(store.variables.map(logicalName)).toEqual([
      'demo/block_0/layer_0/kernel',
      'demo/block_0/layer_0/bias',
      'demo/block_0/layer_1/kernel',
    ]);
    expect(countParameters(store.variables)).toBe(3 * 2 + 2 + 2);
    // A second store of the same model coexists (TensorFlow.js rejects duplicate variable names).
    const other = createParamStore('demo', 1);
    createLinear(other, { path: 'block_0/layer_0', inFeatures: 3, outFeatures: 2 });
    expect(Array.from(other.variables[0]?.dataSync() ?? [])).toEqual(
      Array.from(store.variables[0]?.dataSync() ?? []),
    );
    store.dispose();
    other.dispose();
  });
});

describe('activations', () => {
  it('match their PyTorch definitions', () => {
    const store = createParamStore('act', 1);
    const x = tf.tensor1d([-2, -0.5, 0, 1.5]);
    const xs = [-2, -0.5, 0, 1.5];
    const selu = (v: number): number =>
      1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1));
    const expected: Record<(typeof ACTIVATIONS)[number], (v: number) => number> = {
      ReLU: (v) => Math.max(0, v),
      Softplus: (v) => Math.log1p(Math.exp(v)),
      Tanh: Math.tanh,
      SELU: selu,
      LeakyReLU: (v) => (v > 0 ? v : 0.01 * v),
      PReLU: (v) => (v > 0 ? v : 0.25 * v),
      Sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    };
    for (const name of ACTIVATIONS) {
      const y = createActivation(store, `a/${name}`, name)(x);
      const got = Array.from(y.dataSync());
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[name](xs[i] as number), 5));
      y.dispose();
    }
    // Only PReLU owns a parameter.
    expect(store.variables.map(logicalName)).toEqual(['act/a/PReLU/weight']);
    x.dispose();
    store.dispose();
  });
});

describe('dropout', () => {
  it('is the identity outside training and a seeded inverted mask in training', () => {
    const x = tf.ones([64, 32]);
    const rng = new Rng(1);
    const evalOut = dropout(x, 0.5, createForwardContext({ training: false }, rng));
    expect(evalOut).toBe(x);
    const a = dropout(x, 0.5, createForwardContext({ training: true, seed: 9 }, rng));
    const b = dropout(x, 0.5, createForwardContext({ training: true, seed: 9 }, rng));
    const c = dropout(x, 0.5, createForwardContext({ training: true, seed: 10 }, rng));
    const va = Array.from(a.dataSync());
    expect(va).toEqual(Array.from(b.dataSync()));
    expect(va).not.toEqual(Array.from(c.dataSync()));
    expect(new Set(va)).toEqual(new Set([0, 2]));
    const kept = va.filter((v) => v > 0).length / va.length;
    expect(kept).toBeGreaterThan(0.4);
    expect(kept).toBeLessThan(0.6);
    tf.dispose([x, a, b, c]);
  });
});

describe('createLayerNorm and createMlp', () => {
  it('layer norm gives zero mean and unit variance per row', () => {
    const store = createParamStore('ln', 1);
    const norm = createLayerNorm(store, 'norm', 4);
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [10, 0, -10, 5],
    ]);
    const y = norm.apply(x);
    const { mean, variance } = tf.moments(y, 1);
    Array.from(mean.dataSync()).forEach((v) => expect(v).toBeCloseTo(0, 5));
    Array.from(variance.dataSync()).forEach((v) => expect(v).toBeCloseTo(1, 3));
    tf.dispose([x, y, mean, variance]);
    store.dispose();
  });

  it('an MLP stack maps [B, in] to [B, out] without leaking tensors', () => {
    const store = createParamStore('m', 1);
    const net = createMlp(store, {
      path: 'mlp',
      sizes: [5, 7, 3],
      activation: (x) => tf.relu(x),
      activateLast: false,
    });
    expect(net.layers).toHaveLength(2);
    const x = tf.ones([4, 5]);
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => net.apply(x, createForwardContext({ training: false }, store.rng)));
    expect(y.shape).toEqual([4, 3]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, y]);
    store.dispose();
  });
});
