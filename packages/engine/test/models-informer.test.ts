import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import type { ModelDims } from '../src/model/types.js';
import {
  circularPad,
  createDistilConv,
  distilledLength,
  maxPoolHalving,
} from '../src/models/informer/distil-conv.js';
import { MODELS } from '../src/models/registry.js';
import { createBatchNorm } from '../src/nn/batch-norm.js';
import { createForwardContext, type ForwardContext } from '../src/nn/forward-context.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import {
  probAttention,
  probSparseSizes,
  sampleKeyCounts,
  selectActiveQueries,
} from '../src/nn/prob-attention.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const spec = MODELS.informer;
const build = (d: ModelDims, overrides: Record<string, unknown> = {}, seed = 1) =>
  spec.build(spec.configSchema.parse(overrides), d, seed);

/** A forward context whose every random op gets `seed`. */
const fixedSeed = (seed: number, training = false): ForwardContext => ({ training, nextSeed: () => seed });

/** [1, L, 1, 1] from a list, the [B, L, H, E] layout of one window, one head, one channel. */
const column = (values: number[]): tf.Tensor4D => tf.tensor4d(values, [1, values.length, 1, 1]);

const softmaxDot = (scores: number[], values: number[]): number => {
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.reduce((acc, w, i) => acc + (w / total) * (values[i] as number), 0);
};

describe('ProbSparse sizes (U_part and u)', () => {
  it('samples factor·⌈ln L_K⌉ keys and keeps factor·⌈ln L_Q⌉ queries, at most L', () => {
    // ln 24 = 3.18 -> 4; ln 13 = 2.56 -> 3; ln 4 = 1.39 -> 2 (3·2 = 6 is cut to 4).
    expect(probSparseSizes(3, 24, 24)).toEqual({ sampledKeys: 12, activeQueries: 12 });
    expect(probSparseSizes(3, 24, 13)).toEqual({ sampledKeys: 9, activeQueries: 12 });
    expect(probSparseSizes(3, 4, 4)).toEqual({ sampledKeys: 4, activeQueries: 4 });
    expect(probSparseSizes(1, 2, 8)).toEqual({ sampledKeys: 3, activeQueries: 1 });
  });
});

describe('the seeded key sample', () => {
  it('draws U keys per query with replacement from the seed, as randint(L_K, (L_Q, U))', () => {
    const counts = sampleKeyCounts({ queries: 3, keys: 5, sampledKeys: 4, seed: 9 });
    const rng = new Rng(9);
    const expected = new Float32Array(15);
    for (let l = 0; l < 3; l += 1) for (let j = 0; j < 4; j += 1) expected[l * 5 + rng.int(5)]! += 1;
    expect(Array.from(counts)).toEqual(Array.from(expected));
    for (let l = 0; l < 3; l += 1) expect(counts.slice(l * 5, l * 5 + 5).reduce((a, b) => a + b, 0)).toBe(4);
    expect(Array.from(sampleKeyCounts({ queries: 3, keys: 5, sampledKeys: 4, seed: 10 }))).not.toEqual(
      Array.from(counts),
    );
  });
});

describe('ProbSparse query selection', () => {
  // q = [1, 2, −1, 0.5], k = [1, −1, 3, 0] (one channel): scores q_l·k_s.
  const q = [1, 2, -1, 0.5];
  const k = [1, -1, 3, 0];
  const scores = q.map((ql) => k.map((ks) => ql * ks));
  // Hand sample of 2 keys per query: row 0 {0, 1}, row 1 {2, 2} (drawn twice), row 2 {1, 3}, row 3 {2, 3}.
  const counts = [
    [1, 1, 0, 0],
    [0, 0, 2, 0],
    [0, 1, 0, 1],
    [0, 0, 1, 1],
  ];

  it('keeps the u queries of largest M = max over the sample − sum over the sample / L_K', () => {
    // M_0 = 1 − 0/4 = 1; M_1 = 6 − 12/4 = 3; M_2 = 1 − 1/4 = 0.75; M_3 = 1.5 − 1.5/4 = 1.125 -> rows 1 and 3.
    const mask = selectActiveQueries(2)(tf.tensor3d([scores]), tf.tensor2d(counts)) as tf.Tensor3D;
    expect(mask.shape).toEqual([1, 4, 1]);
    expect(Array.from(mask.dataSync())).toEqual([0, 1, 0, 1]);
    mask.dispose();
  });

  /** The u rows of largest M under the sample drawn from `seed`, computed by hand from the scores. */
  const handSelection = (seed: number, sampledKeys: number, u: number): number[] => {
    const sample = sampleKeyCounts({ queries: 4, keys: 4, sampledKeys, seed });
    const measure = scores.map((row, l) => {
      const drawn = row.filter((_, s) => (sample[l * 4 + s] as number) > 0);
      const sum = row.reduce((acc, x, s) => acc + x * (sample[l * 4 + s] as number), 0);
      return Math.max(...drawn) - sum / 4;
    });
    return measure
      .map((m, l) => [m, l] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, u)
      .map(([, l]) => l);
  };
  const v = [1, 2, 3, 4];

  it('gives the selected queries softmax(q·Kᵀ/√E)·V and the others the mean of V', () => {
    const selected = handSelection(5, 2, 2); // factor 1 over 4 steps: U = u = ⌈ln 4⌉ = 2
    const [qt, kt, vt] = [column(q), column(k), column(v)];
    const out = probAttention({ causal: false, factor: 1 })(qt, kt, vt, fixedSeed(5)).values;
    expect(out.shape).toEqual([1, 4, 1, 1]);
    const got = Array.from(out.dataSync());
    scores.forEach((row, l) => {
      const want = selected.includes(l) ? softmaxDot(row, v) : 2.5; // E = 1: scale 1
      expect(got[l]).toBeCloseTo(want, 5);
    });
    tf.dispose([qt, kt, vt, out]);
  });

  it('causal: selected queries see keys up to their own step, the others the running sum of V', () => {
    const [qt, kt, vt] = [column(q), column(k), column(v)];
    const running = [1, 3, 6, 10];
    for (const seed of [1, 2, 3]) {
      const selected = handSelection(seed, 2, 2);
      const out = probAttention({ causal: true, factor: 1 })(qt, kt, vt, fixedSeed(seed)).values;
      const got = Array.from(out.dataSync());
      scores.forEach((row, l) => {
        const want = selected.includes(l)
          ? softmaxDot(row.slice(0, l + 1), v.slice(0, l + 1))
          : (running[l] as number);
        expect(got[l], `seed ${seed}, step ${l}`).toBeCloseTo(want, 5);
      });
      out.dispose();
    }
    tf.dispose([qt, kt, vt]);
  });

  it('passes gradients to queries, keys and values through the blend, none through the selection', () => {
    const [qt, kt, vt] = [column(q), column(k), column(v)];
    const grads = tf.grads((a, b, c) =>
      tf.sum(
        probAttention({ causal: false, factor: 1 })(
          a as tf.Tensor4D,
          b as tf.Tensor4D,
          c as tf.Tensor4D,
          fixedSeed(5),
        ).values,
      ),
    )([qt, kt, vt]);
    for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    // Every output row sums the values with weights summing to 1, so each value gets gradient 1 on average.
    expect(Array.from(grads[2]!.dataSync()).reduce((a, b) => a + b, 0)).toBeCloseTo(4, 5);
    tf.dispose([qt, kt, vt, ...grads]);
  });
});

describe('distilling ConvLayer', () => {
  it('halves the sequence as Conv1d(padding 2) + MaxPool1d(3, 2, 1): L -> ⌊(L + 1) / 2⌋ + 1', () => {
    expect([24, 13, 8, 5, 2].map(distilledLength)).toEqual([13, 8, 5, 4, 2]);
    const store = createParamStore('informer-test', 1);
    const conv = createDistilConv(store, 'conv', 4);
    const x = tf.randomNormal([2, 24, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
    const ctx = createForwardContext({ training: false }, new Rng(1));
    const once = conv.apply(x, ctx);
    const twice = conv.apply(once, ctx);
    expect(once.shape).toEqual([2, 13, 4]);
    expect(twice.shape).toEqual([2, 8, 4]);
    tf.dispose([x, once, twice]);
    store.dispose();
  });

  it('pads circularly and max-pools with −∞ padding', () => {
    const x = tf.tensor3d([1, 2, 3, 4], [1, 4, 1]);
    expect(Array.from(circularPad(x, 2).dataSync())).toEqual([3, 4, 1, 2, 3, 4, 1, 2]);
    const even = tf.tensor3d([1, 5, 2, 0, 7, 3], [1, 6, 1]); // windows {−∞,1,5} {5,2,0} {0,7,3}
    const odd = tf.tensor3d([4, 1, 3, 9, 2], [1, 5, 1]); // windows {−∞,4,1} {1,3,9} {9,2,−∞}
    expect(Array.from(maxPoolHalving(even).dataSync())).toEqual([5, 5, 7]);
    expect(Array.from(maxPoolHalving(odd).dataSync())).toEqual([4, 9, 9]);
    tf.dispose([x, even, odd]);
  });

  it('convolves, normalises with the running statistics at inference, applies ELU and pools', () => {
    const store = createParamStore('informer-test', 1);
    const conv = createDistilConv(store, 'conv', 1);
    conv.downConv.kernel.assign(tf.tensor2d([[1], [2], [3]])); // taps t, t+1, t+2 of the padded sequence
    conv.downConv.bias?.assign(tf.tensor1d([0.5]));
    const x = tf.tensor3d([1, 2, 3, 4], [1, 4, 1]);
    // Padded 3 4 1 2 3 4 1 2 -> conv 14.5 12.5 14.5 20.5 14.5 12.5 -> pool 14.5 20.5 20.5 (all > 0: ELU = x).
    const out = conv.apply(x, createForwardContext({ training: false }, new Rng(1)));
    const s = Math.sqrt(1 + 1e-5); // running mean 0, var 1
    Array.from(out.dataSync()).forEach((got, i) =>
      expect(got).toBeCloseTo(([14.5, 20.5, 20.5][i] as number) / s, 4),
    );
    tf.dispose([x, out]);
    store.dispose();
  });

  it('batch norm pools its statistics over batch and steps of [B, L, C] while training', () => {
    const store = createParamStore('informer-test', 1);
    const norm = createBatchNorm(store, 'bn', 1);
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]); // mean 3.5, unbiased var 17.5 / 5 = 3.5
    const y = norm.apply(x, createForwardContext({ training: true, seed: 1 }, store.rng));
    expect(norm.runningMean.dataSync()[0]).toBeCloseTo(0.35, 6);
    expect(norm.runningVar.dataSync()[0]).toBeCloseTo(0.9 + 0.35, 6);
    expect(y.dataSync()[0]).toBeCloseTo(-2.5 / Math.sqrt(17.5 / 6 + 1e-5), 5);
    tf.dispose([x, y]);
    store.dispose();
  });
});

describe('Informer network', () => {
  it("has NeuralForecast's 341,985 parameters at h=12, input_size=24 (running stats are buffers)", () => {
    const reference = dims({ h: 12, inputSize: 24 });
    // Token convs 2·384; encoder layer: attention 4·(128·128 + 128) = 66_048, conv1 4_128, conv2 4_224,
    // norms 512 -> 74_912 (×2); encoder norm 256; ConvLayer 128·384 + 128 + BN 256 = 49_536; decoder
    // layer: attentions 132_096 + 4_128 + 4_224 + norms 768 = 141_216; decoder norm 256; projection 129.
    const count = (overrides: Record<string, unknown>, d = reference): number => {
      const net = build(d, overrides);
      const n = countParameters(net.variables);
      net.dispose();
      return n;
    };
    expect(count({})).toBe(768 + 2 * 74_912 + 256 + 49_536 + 141_216 + 256 + 129); // 341_985
    expect(count({ distil: false })).toBe(341_985 - 49_536); // VanillaTransformer's 292_449
    // Two futr columns: a bias-free Linear(2, 128) in each embedding.
    expect(count({}, dims({ h: 12, inputSize: 24, futrExogSize: 2 }))).toBe(341_985 + 2 * 256);
  });

  it('draws its key samples from the forward seed: same seed, same forecast; training seeds differ', () => {
    const d = dims({ h: 4, inputSize: 16 });
    const net = build(d, { hidden_size: 16, n_head: 2, conv_hidden_size: 8, dropout: 0, factor: 1 });
    const batch = randomBatch(d, 8);
    const run = (seed: number) => net.forward(batch, { training: true, seed });
    const [a, b, c] = [run(1), run(1), run(2)];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    // With dropout 0 only the key sample depends on the seed (and the batch norm, equal for both).
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
    disposeBatch(batch);
    net.dispose();
  });

  it('refuses hist/stat exogenous and a multiplier that leaves no label or no window', () => {
    expect(() => build(dims({ h: 4, inputSize: 8, histExogSize: 1 }))).toThrow(/accepts futr_exog_list/);
    expect(() => build(dims({ h: 4, inputSize: 8, statExogSize: 1 }))).toThrow(ConfigError);
    expect(() => build(dims({ h: 4, inputSize: 4 }), { decoder_input_size_multiplier: 0.9 })).toThrow(
      /label_len = 4 of input_size = 4/,
    );
    expect(() => spec.configSchema.parse({ activation: 'tanh' })).toThrow();
  });
});
