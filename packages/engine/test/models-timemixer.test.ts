import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultivariateDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { createDftDecomposition } from '../src/models/timemixer/dft-decomp.js';
import { createPastDecomposableMixing } from '../src/models/timemixer/mixing.js';
import { createParamStore, logicalName } from '../src/nn/params.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const close = (values: readonly number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));

/** erf by Abramowitz & Stegun 7.1.26 (error below 1.5e-7), for the exact GELU x·Φ(x). */
const erf = (x: number): number => {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
};
const gelu = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));

describe("TimeMixer's past-decomposable mixing", () => {
  it('mixes seasons bottom-up (coarse += MLP(fine)) and trends top-down, after the cross layer', () => {
    const store = createParamStore('test', 1);
    // Seasonal part = the input, trend = 0, so the trend branch adds MLP(0) = 0 with zero biases.
    const pdm = createPastDecomposableMixing(store, {
      path: 'p',
      lengths: [2, 1],
      dModel: 1,
      dFf: 1,
      channelIndependence: 0,
      decomposition: { apply: (x) => ({ seasonal: tf.clone(x), trend: tf.zerosLike(x) }) },
    });
    for (const v of store.variables) {
      const name = logicalName(v);
      if (name.endsWith('/kernel')) v.assign(tf.onesLike(v));
      if (name.endsWith('/bias')) v.assign(tf.zerosLike(v));
    }
    const [a, b, c] = [0.5, -1, 2];
    const fine = tf.tensor3d([a, b], [1, 2, 1]); // [B, T=2, d=1]
    const coarse = tf.tensor3d([c], [1, 1, 1]);
    const [out0, out1] = pdm.apply([fine, coarse]);
    // cross layer = Linear(1,1) ∘ GELU ∘ Linear(1,1) with unit weights = GELU; the season MLP
    // Linear(2,1) ∘ GELU ∘ Linear(1,1) sums the fine scale's two steps.
    expect(Array.from(out0!.dataSync())).toEqual(close([gelu(a), gelu(b)]));
    expect(Array.from(out1!.dataSync())).toEqual(close([gelu(c) + gelu(gelu(a) + gelu(b))]));
    tf.dispose([fine, coarse, out0!, out1!]);
    store.dispose();
  });

  it("reproduces NeuralForecast's DFT decomposition: the first window all trend, the others all seasonal", () => {
    const dft = createDftDecomposition(4, 2);
    const x = tf.tensor3d([1, 2, 3, 4, -1, 0.5, 2, 0], [2, 1, 4]); // [B=2, T=1, d=4]
    const { seasonal, trend } = dft.apply(x);
    expect(Array.from(seasonal.dataSync())).toEqual(close([0, 0, 0, 0, -1, 0.5, 2, 0]));
    expect(Array.from(trend.dataSync())).toEqual(close([1, 2, 3, 4, 0, 0, 0, 0]));
    expect(() => createDftDecomposition(5, 2)).toThrow(/even d_model/);
    tf.dispose([x, seasonal, trend]);
  });
});

describe('TimeMixer', () => {
  const dims: MultivariateDims = {
    h: 2,
    inputSize: 8,
    nSeries: 2,
    nOutputs: 1,
    futrExogSize: 0,
    histExogSize: 0,
    statExogSize: 0,
  };
  const build = (overrides: Record<string, unknown> = {}, d = dims) =>
    MODELS.timemixer.build(
      MODELS.timemixer.configSchema.parse({
        n_series: 2,
        d_model: 4,
        d_ff: 4,
        e_layers: 1,
        moving_avg: 3,
        ...overrides,
      }),
      d,
      3,
    );
  const forecast = (net: ReturnType<typeof build>, values: number[]): number[] =>
    tf.tidy(() => {
      const y = tf.tensor3d(values, [1, 8, 2]);
      return Array.from(
        net.forward({ insampleY: y, insampleMask: tf.onesLike(y) }, { training: false }).dataSync(),
      );
    });
  const base = [1, -2, 3, 0, -1, 2, 2, 1, 0, 4, 1, 1, -3, 2, 5, 0]; // [L=8, N=2], step-major

  it('maps each series back to its own level and scale, in both channel modes and both poolings', () => {
    for (const overrides of [{}, { channel_independence: 1, down_sampling_method: 'max' }]) {
      const net = build(overrides);
      const moved = base.map((v, i) => (i % 2 === 0 ? 100 * v + 1000 : 10 * v - 50));
      const [a, b] = [forecast(net, base), forecast(net, moved)];
      expect(b).toEqual(
        close(
          a.map((v, i) => (i % 2 === 0 ? 100 * v + 1000 : 10 * v - 50)),
          2,
        ),
      );
      net.dispose();
    }
  });

  it("refuses NeuralForecast's failing configurations, naming the values", () => {
    expect(() => build({ down_sampling_layers: 2 }, { ...dims, inputSize: 6 })).toThrow(ConfigError);
    expect(() => build({ down_sampling_layers: 2 }, { ...dims, inputSize: 6 })).toThrow(
      /input_size 6 must be a multiple of down_sampling_window\^down_sampling_layers = 4/,
    );
    expect(() => build({ decoder_input_size_multiplier: 1 })).toThrow(/decoder_input_size_multiplier=1/);
    const conv = MODELS.timemixer.configSchema.safeParse({ n_series: 2, down_sampling_method: 'conv' });
    expect(conv.error?.issues[0]?.message).toMatch(/'conv' is not supported/);
    expect(MODELS.timemixer.configSchema.safeParse({ n_series: 2, moving_avg: 4 }).success).toBe(false);
  });
});
