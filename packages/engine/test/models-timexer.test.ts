import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import { NeuralForecast } from '../src/core/neural-forecast.js';
import type { MultivariateBatch, MultivariateDims, MultivariateNetwork } from '../src/model/types.js';
import { createPatchEmbedding } from '../src/models/timexer/embedding.js';
import { createTimexerEncoderLayer } from '../src/models/timexer/encoder.js';
import { timexer, variateRows } from '../src/models/timexer/timexer.js';
import { createAttentionLayer, fullAttention } from '../src/nn/attention.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createParamStore, logicalName } from '../src/nn/params.js';
import { dims, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const evalCtx = () => createForwardContext({ training: false }, new Rng(1));

/** PyTorch's LayerNorm (eps 1e-5, unit gain, zero shift) of one vector, by hand. */
const ln = (v: readonly number[]): number[] => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return v.map((x) => (x - mean) / Math.sqrt(variance + 1e-5));
};
const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((s, x, i) => s + x * (b[i] as number), 0);

const expectClose = (actual: unknown, expected: unknown, digits = 4): void => {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, digits));
  } else expect(actual).toBeCloseTo(expected as number, digits);
};

describe("TimeXer's patch embedding (EnEmbedding)", () => {
  it('cuts each series into whole patches, embeds them with their position and appends its global token', () => {
    const store = createParamStore('timexer_test', 1);
    const emb = createPatchEmbedding(store, {
      path: 'en_embedding',
      nSeries: 2,
      patchLen: 2,
      nPatches: 2,
      hiddenSize: 2,
      dropout: 0.5,
    });
    expect(store.variables.map(logicalName)).toEqual([
      'timexer_test/en_embedding/value_embedding/kernel',
      'timexer_test/en_embedding/glb_token/weight',
    ]);
    expect(emb.globalToken.shape).toEqual([1, 2, 1, 2]);
    emb.valueEmbedding.kernel.assign(tf.tensor2d([1, 2, 3, 4], [2, 2])); // e0 = x0 + 3·x1, e1 = 2·x0 + 4·x1
    emb.globalToken.assign(tf.tensor4d([7, 8, 9, 10], [1, 2, 1, 2]));
    // L = 5: series 0 is 1..5, series 1 is 10..50; step 5 belongs to no patch.
    const x = tf.tensor3d([1, 10, 2, 20, 3, 30, 4, 40, 5, 50], [1, 5, 2]);
    const out = emb.apply(x, evalCtx());
    expect(out.shape).toEqual([2, 3, 2]); // [B·N, P+1, E]
    // Positions: row 0 is (sin 0, cos 0) = (0, 1), row 1 is (sin 1, cos 1).
    const [s1, c1] = [Math.sin(1), Math.cos(1)];
    expectClose(out.arraySync(), [
      [
        [1 + 6, 2 + 8 + 1], // patch (1, 2)
        [3 + 12 + s1, 6 + 16 + c1], // patch (3, 4)
        [7, 8],
      ],
      [
        [10 + 60, 20 + 80 + 1],
        [30 + 120 + s1, 60 + 160 + c1],
        [9, 10],
      ],
    ]);
    const moved = tf.tensor3d([1, 10, 2, 20, 3, 30, 4, 40, -99, 99], [1, 5, 2]);
    const again = emb.apply(moved, evalCtx());
    expect(again.arraySync()).toEqual(out.arraySync());
    tf.dispose([x, out, moved, again]);
    store.dispose();
  });
});

describe("TimeXer's variate tokens", () => {
  it('are the series, then hist column x of series n at N + x·N + n, then static s of series n held over the window', () => {
    const y = tf.tensor3d([1, 3, 2, 4], [1, 2, 2]); // series 0: 1, 2; series 1: 3, 4
    // [B, X, L, N]: column 0 is (11, 12) and (21, 22), column 1 is (31, 32) and (41, 42).
    const histExog = tf.tensor4d([11, 21, 12, 22, 31, 41, 32, 42], [1, 2, 2, 2]);
    const statExog = tf.tensor2d([5, 6, 7, 8], [2, 2]);
    const batch: MultivariateBatch = { insampleY: y, insampleMask: tf.onesLike(y), histExog, statExog };
    const d: MultivariateDims = {
      ...dims({ h: 1, inputSize: 2, histExogSize: 2, statExogSize: 2 }),
      nSeries: 2,
    };
    const rows = variateRows(batch, y, d);
    expect(rows.arraySync()).toEqual([
      [
        [1, 2],
        [3, 4],
        [11, 12],
        [21, 22],
        [31, 32],
        [41, 42],
        [5, 5],
        [6, 6],
        [7, 7],
        [8, 8],
      ],
    ]);
    tf.dispose([y, histExog, statExog, batch.insampleMask, rows]);
  });
});

describe("TimeXer's encoder layer", () => {
  it('lets each global token attend to its own window’s variate tokens and leaves the patch tokens to self-attention', () => {
    const E = 4;
    const store = createParamStore('timexer_test', 1);
    const attention = (path: string) =>
      createAttentionLayer(
        store,
        { path, hiddenSize: E, nHeads: 1 },
        fullAttention({ causal: false, dropout: 0 }),
      );
    const self = attention('layer/self_attention');
    const cross = attention('layer/cross_attention');
    const layer = createTimexerEncoderLayer(
      store,
      { self, cross },
      { path: 'layer', hiddenSize: E, convHiddenSize: 3, dropout: 0, activation: 'relu' },
    );
    // Identity projections; the self-attention's values and the feed-forward are zero, so the layer is
    // norm3(concat(norm1(patch), norm2(g + Σ softmax(g·c/√E)·c))) with g = norm1(global token).
    for (const v of store.variables) {
      const name = logicalName(v);
      if (/projection\/kernel$/.test(name) && !name.includes('self_attention/value'))
        v.assign(tf.eye(E) as tf.Tensor2D);
      else if (/(projection|conv\d)\/(kernel|bias)$/.test(name)) v.assign(tf.zerosLike(v));
    }
    const patches = [
      [1, 2, 3, 4],
      [0, -1, 5, 2],
      [3, 3, 1, 0],
      [2, 0, 0, 1],
    ];
    const globals = [
      [1, 0, 0, 2],
      [0.5, 1.5, -1, 0],
      [-2, 1, 0, 1],
      [0, 0, 3, -1],
    ];
    const crossTokens = [
      [
        [1, 0, 2, 0],
        [0, 1, 0, -1],
        [2, 2, 0, 1],
      ],
      [
        [-1, 0, 1, 0],
        [0, 3, 0, 0],
        [1, 1, 1, -2],
      ],
    ];
    const x = tf.tensor3d(patches.map((p, r) => [p, globals[r] as number[]])); // [B·N = 4, P+1 = 2, E]
    const c = tf.tensor3d(crossTokens); // [B = 2, T = 3, E]
    const out = layer.apply(x, c, evalCtx());
    const expected = patches.map((p, r) => {
      const g = ln(globals[r] as number[]);
      const tokens = crossTokens[Math.floor(r / 2)] as number[][]; // row b·N + n reads window b
      const scores = tokens.map((k) => dot(g, k) / Math.sqrt(E));
      const z = scores.map((s) => Math.exp(s));
      const total = z.reduce((a, b) => a + b, 0);
      const attended = g.map((_, e) =>
        tokens.reduce((s, k, t) => s + ((z[t] as number) / total) * (k[e] as number), 0),
      );
      return [ln(ln(p)), ln(ln(g.map((v, e) => v + (attended[e] as number))))];
    });
    expectClose(out.arraySync(), expected);
    // Other variates for window 1: only its two global tokens move.
    const c2 = tf.tensor3d([
      crossTokens[0] as number[][],
      [
        [5, 0, 0, 0],
        [0, 0, 0, 5],
        [1, 2, 3, 4],
      ],
    ]);
    const out2 = layer.apply(x, c2, evalCtx()).arraySync();
    const before = out.arraySync();
    expect(out2.slice(0, 2)).toEqual(before.slice(0, 2));
    for (const r of [2, 3]) {
      expect(out2[r]?.[0]).toEqual(before[r]?.[0]);
      expect(out2[r]?.[1]).not.toEqual(before[r]?.[1]);
    }
    tf.dispose([x, c, out, c2]);
    store.dispose();
  });
});

describe('TimeXer', () => {
  const small = { patch_len: 4, hidden_size: 8, n_heads: 2, e_layers: 1, d_ff: 8 };
  const build = (config: Record<string, unknown>, d: MultivariateDims): MultivariateNetwork =>
    timexer.build(timexer.configSchema.parse({ n_series: d.nSeries, ...small, ...config }), d, 1);
  const forecast = (net: MultivariateNetwork, batch: MultivariateBatch): number[] => {
    const out = net.forward(batch, { training: false });
    const values = Array.from(out.dataSync());
    out.dispose();
    return values;
  };

  it('reads its historical and static exogenous columns through the cross-attention', () => {
    const d: MultivariateDims = {
      ...dims({ h: 3, inputSize: 8, histExogSize: 2, statExogSize: 1 }),
      nSeries: 2,
    };
    const net = build({}, d);
    const y = tf.randomNormal([2, 8, 2], 0, 1, 'float32', 1) as tf.Tensor3D;
    const batch: MultivariateBatch = {
      insampleY: y,
      insampleMask: tf.onesLike(y),
      histExog: tf.randomNormal([2, 2, 8, 2], 0, 1, 'float32', 2) as tf.Tensor4D,
      statExog: tf.tensor2d([[0], [1]]),
    };
    const base = forecast(net, batch);
    const otherHist = tf.randomNormal([2, 2, 8, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const otherStat = tf.tensor2d([[2], [-1]]);
    expect(forecast(net, { ...batch, histExog: otherHist })).not.toEqual(base);
    expect(forecast(net, { ...batch, statExog: otherStat })).not.toEqual(base);
    expect(forecast(net, batch)).toEqual(base);
    tf.dispose([y, batch.insampleMask, batch.histExog, batch.statExog, otherHist, otherStat]);
    net.dispose();
  });

  it('without exogenous columns its variate tokens are the series: steps in no patch still move the forecast', () => {
    // L = 6, patch_len 4: steps 5 and 6 are in no patch, only in the series' own variate tokens.
    const d: MultivariateDims = { ...dims({ h: 2, inputSize: 6 }), nSeries: 2 };
    const net = build({ use_norm: false }, d);
    const values = Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const y = tf.tensor3d(values, [1, 6, 2]);
    const tail = tf.tensor3d(
      values.map((v, i) => (i === 11 ? v + 1 : v)),
      [1, 6, 2],
    );
    expect(forecast(net, { insampleY: tail, insampleMask: tf.onesLike(tail) })).not.toEqual(
      forecast(net, { insampleY: y, insampleMask: tf.onesLike(y) }),
    );
    tf.dispose([y, tail]);
    net.dispose();
  });

  it('refuses a patch longer than the window, more heads than channels and future exogenous columns', () => {
    const d: MultivariateDims = { ...dims({ h: 2, inputSize: 12 }), nSeries: 2 };
    expect(() => build({ patch_len: 16 }, d)).toThrow(/TimeXer: patch_len = 16 exceeds input_size = 12/);
    expect(() => build({ hidden_size: 4, n_heads: 8 }, d)).toThrow(
      /TimeXer: n_heads = 8 exceeds hidden_size = 4/,
    );
    expect(() => build({}, { ...d, futrExogSize: 1 })).toThrow(ConfigError);
    expect(() => build({}, { ...d, futrExogSize: 1 })).toThrow(/TimeXer does not accept futr_exog_list/);
  });

  it('fits and predicts through NeuralForecast with historical and static exogenous columns', async () => {
    const df = ['a', 'b'].flatMap((id, k) =>
      Array.from({ length: 40 }, (_, t) => ({
        unique_id: id,
        ds: new Date(Date.UTC(2021, 0, 1 + t)).toISOString().slice(0, 10),
        y: 2 * k + Math.sin(t / 2) + (t % 3 === 0 ? 0.5 : 0),
        hist_a: t % 3 === 0 ? 1 : 0,
      })),
    );
    const staticDf = [
      { unique_id: 'a', stat_a: 0 },
      { unique_id: 'b', stat_a: 1 },
    ];
    const config = {
      n_series: 2,
      ...small,
      h: 3,
      input_size: 8,
      max_steps: 5,
      hist_exog_list: ['hist_a'],
      stat_exog_list: ['stat_a'],
    };
    const nf = new NeuralForecast({ models: [{ id: 'timexer', config }], freq: 'D' });
    try {
      await nf.fit({ df, staticDf });
      const forecast = await nf.predict();
      expect(forecast).toHaveLength(6);
      expect(new Set(forecast.map((r) => r.unique_id))).toEqual(new Set(['a', 'b']));
      expect(forecast.every((r) => Number.isFinite(r.TimeXer as number))).toBe(true);
      // Another history of the exogenous column gives another forecast from the same weights.
      const flipped = df.map((r) => ({ ...r, hist_a: 1 - r.hist_a }));
      const other = await nf.predict({ df: flipped, staticDf });
      expect(other.map((r) => r.TimeXer)).not.toEqual(forecast.map((r) => r.TimeXer));
    } finally {
      nf.dispose();
    }
  });
});
