import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelNetwork, MultivariateDims, MultivariateNetwork } from '../src/model/types.js';
import { explainWindows, NeuralForecast } from '../src/core/index.js';
import { toSeriesRowsNetwork } from '../src/models/multivariate.js';
import { MULTIVARIATE_MODEL_IDS, getMultivariateModelSpec, MODELS } from '../src/models/registry.js';
import { createMixingLayer, createTemporalMixing } from '../src/models/tsmixer/mixing.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createLayerNormOver } from '../src/nn/layer-norm.js';
import { createParamStore, logicalName } from '../src/nn/params.js';
import { createRevin } from '../src/nn/revin.js';
import { cutoffGroups, jointTrainWindowRefs, jointValidationRefs } from '../src/windows/multivariate.js';
import type { WindowSource } from '../src/windows/source.js';
import { useCpu } from './models-fixtures.js';
import { SMALL_CONFIGS } from './models-small-configs.js';

beforeAll(useCpu);

/** A source of `length` points, observed where `mask` says (default everywhere). */
const source = (length: number, mask?: readonly number[]): WindowSource => ({
  y: Float64Array.from({ length }, (_, t) => t + 1),
  mask: Float64Array.from({ length }, (_, t) => mask?.[t] ?? 1),
  futr: [],
  hist: [],
  stat: [],
});

const trainOptions = { inputSize: 2, h: 1, holdout: 0, stepSize: 1, startPaddingEnabled: false } as const;

describe('multivariate windows (NeuralForecast MULTIVARIATE paths)', () => {
  it('right-align series of different lengths: one group per shared start, the shorter one left-padded', () => {
    const groups = jointTrainWindowRefs({
      ...trainOptions,
      sources: [source(5), source(3)],
      availability: [0, 0],
    });
    // Shared axis of 5 (+1 right padding): starts 0..3, the last dropped (its horizon is all padding);
    // series 1 starts 2 positions later.
    expect(groups.map((g) => g.map((r) => r.start))).toEqual([
      [0, -2],
      [1, -1],
      [2, 0],
    ]);
    expect(groups[0]?.map((r) => r.limit)).toEqual([5, 3]);
  });

  it('pad every series by input_size - 1 on the left with start_padding_enabled', () => {
    const groups = jointTrainWindowRefs({
      ...trainOptions,
      startPaddingEnabled: true,
      sources: [source(3), source(2)],
      availability: [0, 0],
    });
    // Shared axis -1..3 (+1 right padding): the first window reads one padded step of series 0 and
    // two of series 1; the window starting at 1 is dropped, its horizon is all padding.
    expect(groups.map((g) => g.map((r) => r.start))).toEqual([
      [-1, -2],
      [0, -1],
    ]);
  });

  it('count availability over all series at once (thresholds times n_series)', () => {
    // Series 1 is missing at t=0: with f = 1 a window needs 2·2 observed inputs and 1·2 horizon points in total.
    const sources = [source(4), source(4, [0, 1, 1, 1])];
    const starts = (f: number) =>
      jointTrainWindowRefs({ ...trainOptions, sources, availability: [f, f] }).map((g) => g[0]?.start);
    expect(starts(0)).toEqual([0, 1]);
    expect(starts(0.5)).toEqual([0, 1]);
    expect(starts(1)).toEqual([1]);
  });

  it('refuse panels too short for any window, naming the sizes', () => {
    expect(() =>
      jointTrainWindowRefs({
        ...trainOptions,
        inputSize: 6,
        sources: [source(3), source(2)],
        availability: [0, 0],
      }),
    ).toThrow(ConfigError);
    expect(() =>
      jointTrainWindowRefs({
        ...trainOptions,
        inputSize: 6,
        sources: [source(3), source(2)],
        availability: [0, 0],
      }),
    ).toThrow(/2 series taken together.*input_size 6 \+ h 1/);
  });

  it('cut validation windows on the shared axis', () => {
    const groups = jointValidationRefs({
      inputSize: 2,
      h: 1,
      valSize: 2,
      stepSize: 1,
      sources: [source(6), source(4)],
    });
    expect(groups.map((g) => g.map((r) => r.start))).toEqual([
      [2, 0],
      [3, 1],
    ]);
  });

  it('group forecast cutoffs by shared position, every series in each group', () => {
    const { groups, index } = cutoffGroups({
      cutoffs: [
        { series: 0, position: 6 },
        { series: 1, position: 4 },
        { series: 1, position: 3 },
      ],
      lengths: [6, 4],
      limits: [6, 4],
      inputSize: 2,
    });
    expect(groups.map((g) => g.map((r) => r.start))).toEqual([
      [4, 2],
      [3, 1],
    ]);
    expect(index).toEqual([0, 1, 3]);
  });
});

describe('the series-rows adapter', () => {
  it('shows a [B·N, L, 1] batch as [B, L, N] and [B, F, L+H, N], and its [B, H, N, K] output as [B·N, H, K]', () => {
    // Rows (b, n) = b·N + n hold y = 100·b + 10·n + t; the fake network echoes y's last H steps and futr's first channel.
    const B = 2;
    const N = 3;
    const L = 4;
    const H = 2;
    const y = tf.tensor3d(
      Array.from(
        { length: B * N * L },
        (_, i) => 100 * Math.floor(i / (N * L)) + 10 * (Math.floor(i / L) % N) + (i % L),
      ),
      [B * N, L, 1],
    );
    const futr = tf.tile(tf.reshape(tf.range(0, B * N), [B * N, 1, 1]), [1, L + H, 2]) as tf.Tensor3D;
    let seen: number[][][] = [];
    let seenFutr: number[] = [];
    const fake: MultivariateNetwork = {
      variables: [],
      forward(batch) {
        seen = batch.insampleY.arraySync();
        seenFutr = (batch.futrExog as tf.Tensor4D).shape;
        const last = tf.slice(batch.insampleY, [0, L - H, 0], [-1, H, -1]); // [B, H, N]
        return tf.stack([last, tf.add(last, 0.5)], 3) as tf.Tensor4D; // [B, H, N, 2]
      },
      dispose() {},
    };
    const net: ModelNetwork = toSeriesRowsNetwork(fake, N);
    const out = net.forward(
      { insampleY: y, insampleMask: tf.onesLike(y), futrExog: futr },
      { training: false },
    );
    expect(seen[1]?.[3]).toEqual([103, 113, 123]); // window 1, step 3, series 0..2
    expect(seenFutr).toEqual([B, 2, L + H, N]);
    expect(out.shape).toEqual([B * N, H, 2]);
    const rows = out.arraySync();
    expect(rows[4]).toEqual([
      [112, 112.5],
      [113, 113.5],
    ]); // row 4 = window 1, series 1
    expect(() =>
      net.forward({ insampleY: tf.zeros([4, L, 1]), insampleMask: tf.zeros([4, L, 1]) }, { training: false }),
    ).toThrow(/not a whole number of 3-series windows/);
    tf.dispose([y, futr, out]);
  });
});

describe('multivariate building blocks', () => {
  it("TSMixer's temporal mixing: x + relu(W · BN(x)) at inference, BN from its running statistics", () => {
    const store = createParamStore('test', 1);
    const layer = createTemporalMixing(store, { path: 'm', steps: 2, channels: 1, ffDim: 4, dropout: 0 });
    // Variables: norm weight, bias, running_mean, running_var, then the linear kernel and bias.
    const linKernel = store.variables[4] as tf.Variable;
    const linBias = store.variables[5] as tf.Variable;
    linKernel.assign(tf.tensor2d([1, 0, 0, 1], [2, 2]));
    linBias.assign(tf.tensor1d([0, -1]));
    const x = tf.tensor3d([2, -3], [1, 2, 1]); // [B=1, L=2, C=1]
    const y = layer.apply(x, createForwardContext({ training: false }, store.rng));
    const s = 1 / Math.sqrt(1 + 1e-3); // running var 1, eps 1e-3
    const expected = [2 + Math.max(0, 2 * s), -3 + Math.max(0, -3 * s - 1)];
    expect(Array.from(y.dataSync())).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    tf.dispose([x, y]);
    store.dispose();
  });

  it("TSMixer's mixing layer moves its batch-norm running statistics with momentum 0.01 while training", () => {
    const store = createParamStore('test', 1);
    const layer = createMixingLayer(store, { path: 'm', steps: 2, channels: 1, ffDim: 4, dropout: 0 });
    const x = tf.tensor3d([1, 3, 5, 7], [2, 2, 1]); // two windows: temporal norm channels see (1, 5) and (3, 7)
    tf.dispose(layer.apply(x, createForwardContext({ training: true, seed: 1 }, store.rng)));
    const runningMean = store.variables.find((v) => logicalName(v) === 'test/m/temporal_norm/running_mean');
    expect(Array.from(runningMean?.dataSync() ?? [])).toEqual([
      expect.closeTo(0.03, 6),
      expect.closeTo(0.05, 6),
    ]);
    tf.dispose(x);
    store.dispose();
  });

  it("TSMixerx's layer norm normalises over (h, C) jointly", () => {
    const store = createParamStore('test', 1);
    const norm = createLayerNormOver(store, 'n', [2, 2]);
    const x = tf.tensor3d([1, 2, 3, 4, 10, 10, 10, 10], [2, 2, 2]);
    const y = norm.apply(x).dataSync();
    const sd = Math.sqrt(1.25 + 1e-5);
    expect(Array.from(y.slice(0, 4))).toEqual([-1.5, -0.5, 0.5, 1.5].map((v) => expect.closeTo(v / sd, 5)));
    expect(Array.from(y.slice(4))).toEqual([0, 0, 0, 0]);
    tf.dispose(x);
    store.dispose();
  });

  it("RevINMultivariate's inverse divides by the gain exactly", () => {
    const store = createParamStore('test', 1);
    const revin = createRevin(store, { path: 'r', numFeatures: 2, affine: true, exactAffineInverse: true });
    revin.weight?.assign(tf.tensor1d([0.5, 2]));
    revin.bias?.assign(tf.tensor1d([1, -1]));
    const x = tf.tensor3d([1, 10, 3, 30, 8, 20], [1, 3, 2]);
    const { normalized, stats } = revin.normalize(x);
    const back = revin.denormalize(normalized, stats);
    expect(Array.from(back.dataSync())).toEqual([1, 10, 3, 30, 8, 20].map((v) => expect.closeTo(v, 4)));
    tf.dispose([x, normalized, back, stats.center, stats.stdev]);
    store.dispose();
  });
});

/** Dims of a multivariate model with every exogenous kind it accepts. */
const mvDims = (id: (typeof MULTIVARIATE_MODEL_IDS)[number], withExog: boolean): MultivariateDims => {
  const { futr, hist, stat } = MODELS[id].exogenous;
  return {
    h: 3,
    inputSize: 6,
    nSeries: 2,
    nOutputs: 2,
    futrExogSize: withExog && futr ? 2 : 0,
    histExogSize: withExog && hist ? 1 : 0,
    statExogSize: withExog && stat ? 2 : 0,
  };
};

/** Variables NeuralForecast creates and counts but never reads (see each model's comments). */
const DEAD_BY_DESIGN: Partial<Record<string, RegExp>> = {
  rmok: /\/wavelet\/weight1\//,
  timemixer: /\/pdm_\d+\/(layer_norm|out_cross_layer)\//,
  stemgnn: /\/stock_block_1\/backcast_short_cut\//,
};

describe.each(MULTIVARIATE_MODEL_IDS)('%s', (id) => {
  const build = (d: MultivariateDims, seed = 1) => {
    const spec = getMultivariateModelSpec(id);
    return spec.build(spec.configSchema.parse(SMALL_CONFIGS[id]), d, seed);
  };
  const batch = (d: MultivariateDims, b: number) => ({
    insampleY: tf.randomNormal([b, d.inputSize, d.nSeries], 0, 1, 'float32', 5) as tf.Tensor3D,
    insampleMask: tf.ones([b, d.inputSize, d.nSeries]) as tf.Tensor3D,
    ...(d.futrExogSize > 0
      ? { futrExog: tf.randomNormal([b, d.futrExogSize, d.inputSize + d.h, d.nSeries]) as tf.Tensor4D }
      : {}),
    ...(d.histExogSize > 0
      ? { histExog: tf.randomNormal([b, d.histExogSize, d.inputSize, d.nSeries]) as tf.Tensor4D }
      : {}),
    ...(d.statExogSize > 0 ? { statExog: tf.randomNormal([d.nSeries, d.statExogSize]) as tf.Tensor2D } : {}),
  });

  it('requires n_series, naming the model', () => {
    const parsed = MODELS[id].configSchema.safeParse({});
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(
      new RegExp(`${MODELS[id].label} is a multivariate model: set n_series`),
    );
  });

  it('emits [B, H, N, K], is seeded, names its variables and leaks nothing with or without exogenous inputs', () => {
    for (const withExog of [false, true]) {
      const d = mvDims(id, withExog);
      const input = batch(d, 4);
      const before = tf.memory().numTensors;
      const net = build(d);
      const again = build(d);
      expect(tf.memory().numTensors - before).toBe(2 * net.variables.length);
      const a = net.forward(input, { training: false });
      const b = again.forward(input, { training: false });
      expect(a.shape).toEqual([4, d.h, d.nSeries, d.nOutputs]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      const names = net.variables.map(logicalName);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names)
        expect(name).toMatch(new RegExp(`^${id}/[a-z0-9_/]+/(kernel|bias|weight|running_mean|running_var)$`));
      const trainable = net.variables.filter((v) => v.trainable);
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.mean(tf.square(net.forward(input, { training: true, seed: 3 }))) as tf.Scalar,
          trainable,
        );
        const live = trainable.filter((v) => !DEAD_BY_DESIGN[id]?.test(logicalName(v)));
        expect(Object.keys(grads).sort()).toEqual(live.map((v) => v.name).sort());
        return value;
      });
      tf.dispose([a, b, loss]);
      net.dispose();
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(input));
    }
  });
});

describe('a multivariate model in the NeuralForecast core', () => {
  /** Three daily series of `length` points with a hist_a column. */
  const panel = (ids: readonly string[], length = 30) =>
    ids.flatMap((id, k) =>
      Array.from({ length }, (_, t) => ({
        unique_id: id,
        ds: new Date(Date.UTC(2021, 0, 1 + t)).toISOString().slice(0, 10),
        y: k + Math.sin(t / 3),
        hist_a: t % 2,
      })),
    );
  const config = { n_series: 2, hidden_size: 8, num_layers: 1, h: 2, input_size: 4, max_steps: 2 };

  it('gives quantile columns, insample forecasts of every series, and refuses another panel width and explanations', async () => {
    const nf = new NeuralForecast({
      models: [
        {
          id: 'mlpmultivariate',
          config: { ...config, loss: { id: 'mqloss', level: [80] }, hist_exog_list: ['hist_a'] },
        },
      ],
      freq: 'D',
    });
    try {
      await nf.fit({ df: panel(['a', 'b']) });
      const forecast = await nf.predict({ level: [80] });
      expect(forecast).toHaveLength(4);
      expect(Object.keys(forecast[0] ?? {})).toEqual(
        expect.arrayContaining(['MLPMultivariate-median', 'MLPMultivariate-lo-80', 'MLPMultivariate-hi-80']),
      );
      const insample = await nf.predictInsample({ stepSize: 2 });
      expect(new Set(insample.map((r) => r.unique_id))).toEqual(new Set(['a', 'b']));
      expect(insample.every((r) => Number.isFinite(r['MLPMultivariate-median'] as number))).toBe(true);
      await expect(nf.predict({ df: panel(['a', 'b', 'c']) })).rejects.toThrow(
        /built for n_series 2, but the data has 3 series; set n_series to 3/,
      );
      await expect(explainWindows(nf, { maxWindows: 2 })).rejects.toThrow(
        /is multivariate; exogenous explanations are available for univariate models only/,
      );
    } finally {
      nf.dispose();
    }
  });

  it('cross-validates differently under each random_seed and identically under the same one', async () => {
    // iTransformer at the zoo's settings once scored the same MAE under seeds 1 and 2; every seeded
    // part (initial weights, windows, series order, dropout masks) must follow random_seed.
    const forecasts = async (seed: number) => {
      const nf = new NeuralForecast({
        models: [
          {
            id: 'itransformer',
            config: { ...SMALL_CONFIGS.itransformer, h: 2, input_size: 4, max_steps: 3, random_seed: seed },
          },
        ],
        freq: 'D',
      });
      try {
        const rows = await nf.crossValidation({ df: panel(['a', 'b']), nWindows: 2, stepSize: 2 });
        return rows.map((r) => r.iTransformer as number);
      } finally {
        nf.dispose();
      }
    };
    const one = await forecasts(1);
    expect(one).toHaveLength(8);
    expect(await forecasts(1)).toEqual(one);
    const two = await forecasts(2);
    expect(two.every((v, i) => v !== one[i])).toBe(true);
  });
});
