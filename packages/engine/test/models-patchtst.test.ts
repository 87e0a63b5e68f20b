import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { NeuralForecast } from '../src/core/index.js';
import type { ModelDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { patchCount, patchIndices, toPatches } from '../src/models/patchtst/patching.js';
import { createResidualAttention } from '../src/models/patchtst/residual-attention.js';
import { createBatchNorm } from '../src/nn/batch-norm.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { countParameters, createParamStore, logicalName } from '../src/nn/params.js';
import { createRevin } from '../src/nn/revin.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

const spec = MODELS.patchtst;
const build = (d: ModelDims, overrides: Record<string, unknown> = {}) =>
  spec.build(spec.configSchema.parse(overrides), d, 1);
const evalCtx = createForwardContext({ training: false }, createParamStore('ctx', 1).rng);
const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(path.join(tmpdir(), 'nf-patchtst-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PatchTST patching (end replication padding, then unfold)', () => {
  it("counts NeuralForecast's patches: int((L - patch_len) / stride + 1) + 1", () => {
    expect(patchCount({ inputSize: 24, patchLen: 16, stride: 8 })).toBe(3); // int(2) + 1
    expect(patchCount({ inputSize: 10, patchLen: 4, stride: 3 })).toBe(4); // int(3) + 1
    expect(patchCount({ inputSize: 96, patchLen: 16, stride: 8 })).toBe(12); // int(11) + 1
    // patch_len capped at L + stride: a single patch over the padded window.
    expect(patchCount({ inputSize: 4, patchLen: 12, stride: 8 })).toBe(1);
  });

  it('repeats the last value stride times and cuts patches every stride steps', () => {
    const options = { inputSize: 10, patchLen: 4, stride: 3 };
    // padded: 0 1 2 3 4 5 6 7 8 9 9 9 9
    expect(Array.from(patchIndices(options))).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 9, 9, 9]);
    const x = tf.tensor2d([
      Array.from({ length: 10 }, (_, i) => i),
      Array.from({ length: 10 }, (_, i) => 10 * i),
    ]);
    const patches = toPatches(x, options);
    expect(patches.shape).toEqual([2, 4, 4]);
    expect((patches.arraySync() as number[][][])[1]).toEqual([
      [0, 10, 20, 30],
      [30, 40, 50, 60],
      [60, 70, 80, 90],
      [90, 90, 90, 90],
    ]);
    tf.dispose([x, patches]);
  });

  it('the default window (L = 24, patch_len 16, stride 8) ends with a patch half padding', () => {
    const idx = Array.from(patchIndices({ inputSize: 24, patchLen: 16, stride: 8 }));
    expect(idx.slice(32)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 23, 23, 23, 23, 23, 23, 23, 23]);
  });
});

describe('RevIN (NeuralForecast common/_modules.py)', () => {
  const x = () => tf.tensor3d([1, 2, 3, 6], [1, 4, 1]); // mean 3, biased variance 3.5, last 6
  const std = Math.sqrt(3.5 + 1e-5);

  it('centres on the mean and scales by the biased deviation, and undoes it', () => {
    const store = createParamStore('revin-test', 1);
    const revin = createRevin(store, { path: 'revin', numFeatures: 1 });
    expect(store.variables).toHaveLength(0);
    const input = x();
    const { normalized, stats } = revin.normalize(input);
    values(normalized).forEach((v, i) => expect(v).toBeCloseTo(([1, 2, 3, 6][i]! - 3) / std, 5));
    const back = revin.denormalize(normalized, stats);
    values(back).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3, 6][i]!, 4));
    tf.dispose([input, normalized, back, stats.center, stats.stdev]);
  });

  it('subtract_last centres on the last value; affine maps (z·w + b) and back through (y − b)/(w + eps²)', () => {
    const store = createParamStore('revin-test', 1);
    const revin = createRevin(store, { path: 'revin', numFeatures: 1, affine: true, subtractLast: true });
    expect(store.variables.map(logicalName)).toEqual(['revin-test/revin/weight', 'revin-test/revin/bias']);
    revin.weight!.assign(tf.tensor1d([2]));
    revin.bias!.assign(tf.tensor1d([0.5]));
    const input = x();
    const { normalized, stats } = revin.normalize(input);
    values(normalized).forEach((v, i) => expect(v).toBeCloseTo((([1, 2, 3, 6][i]! - 6) / std) * 2 + 0.5, 5));
    const back = revin.denormalize(normalized, stats);
    values(back).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3, 6][i]!, 4));
    // A forecast of 0 in the normalised space: (0 − 0.5) / 2 · σ + 6.
    const zero = tf.zeros([1, 3, 1]) as tf.Tensor3D;
    const restored = revin.denormalize(zero, stats);
    values(restored).forEach((v) => expect(v).toBeCloseTo(-0.25 * std + 6, 5));
    tf.dispose([input, normalized, back, zero, restored, stats.center, stats.stdev]);
    store.dispose();
  });

  it('passes no gradient through its statistics (NeuralForecast detaches mean and deviation)', () => {
    const store = createParamStore('revin-test', 1);
    const revin = createRevin(store, { path: 'revin', numFeatures: 1 });
    const input = x();
    // d/dx Σ stdev·1 would be non-zero if the deviation were differentiated.
    const grad = tf.grad((t: tf.Tensor) => tf.sum(revin.normalize(t as tf.Tensor3D).stats.stdev))(input);
    expect(values(grad).map((v) => v + 0)).toEqual([0, 0, 0, 0]); // + 0 turns −0 into 0
    tf.dispose([input, grad]);
  });
});

describe('batch norm over every axis but the channels (PyTorch BatchNorm1d)', () => {
  it('normalises [N, P, C] by batch statistics in training and by the running ones at inference', () => {
    const store = createParamStore('bn-test', 1);
    const norm = createBatchNorm(store, 'bn', 1);
    const x = tf.tensor3d([1, 3, 5, 7], [2, 2, 1]); // mean 4, biased var 5, unbiased var 20/3
    const train = norm.apply(x, createForwardContext({ training: true, seed: 1 }, store.rng));
    values(train).forEach((v, i) => expect(v).toBeCloseTo(([1, 3, 5, 7][i]! - 4) / Math.sqrt(5 + 1e-5), 5));
    expect(values(norm.runningMean)[0]).toBeCloseTo(0.1 * 4, 6); // 0.4
    expect(values(norm.runningVar)[0]).toBeCloseTo(0.9 + (0.1 * 20) / 3, 6); // 1.5667
    const inference = norm.apply(x, evalCtx);
    values(inference).forEach((v, i) =>
      expect(v).toBeCloseTo(([1, 3, 5, 7][i]! - 0.4) / Math.sqrt(0.9 + 2 / 3 + 1e-5), 5),
    );
    expect(values(norm.runningMean)[0]).toBeCloseTo(0.4, 6); // inference leaves the statistics alone
    expect(countParameters(store.variables)).toBe(2); // weight and bias; running stats are buffers
    tf.dispose([x, train, inference]);
    store.dispose();
  });

  it('keeps channels apart, on the last axis or on axis 1 ([B, C, L] as BatchNorm1d reads it)', () => {
    const store = createParamStore('bn-test', 1);
    const last = createBatchNorm(store, 'last', 2);
    const axis1 = createBatchNorm(store, 'axis1', 2, { channelAxis: 1 });
    const ctx = createForwardContext({ training: true, seed: 1 }, store.rng);
    // channel 0: 1, 3 (mean 2); channel 1: 10, 30 (mean 20)
    const a = last.apply(
      tf.tensor2d([
        [1, 10],
        [3, 30],
      ]),
      ctx,
    );
    const b = axis1.apply(tf.tensor3d([1, 3, 10, 30], [1, 2, 2]), ctx);
    expect(values(last.runningMean)).toEqual([expect.closeTo(0.2, 6), expect.closeTo(2, 6)]);
    expect(values(axis1.runningMean)).toEqual([expect.closeTo(0.2, 6), expect.closeTo(2, 6)]);
    const s = Math.sqrt(1 + 1e-5);
    values(a).forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i]! / s, 4));
    values(b).forEach((v, i) => expect(v).toBeCloseTo([-1, 1, -1, 1][i]! / s, 4));
    expect(() => last.apply(tf.zeros([2, 3]), ctx)).toThrow(/2 channels/);
    store.dispose();
  });
});

describe('PatchTST residual attention', () => {
  /** Identity projections, so scores = x·xᵀ/√E per head (+ previous) and output = softmax·x. */
  function identityAttention(nHeads: number, mixing: 'elementwise' | 'batched') {
    const store = createParamStore('attn-test', 1);
    const attention = createResidualAttention(store, {
      path: 'attn',
      hiddenSize: 2,
      nHeads,
      attnDropout: 0,
      projDropout: 0,
      mixing,
    });
    for (const v of store.variables)
      v.assign(logicalName(v).endsWith('kernel') ? tf.eye(2) : tf.zerosLike(v));
    return { store, attention };
  }

  for (const mixing of ['elementwise', 'batched'] as const) {
    it(`${mixing}: adds the previous layer's scores before the softmax and hands the sum on`, () => {
      const { store, attention } = identityAttention(1, mixing); // one head of width 2: scale 1/√2
      const x = tf.tensor3d([1, 0, 0, 1], [1, 2, 2]); // two orthogonal patches
      const own = attention.apply(x, undefined, evalCtx);
      const r = 1 / Math.sqrt(2);
      expect(own.scores.shape).toEqual([1, 2, 1, 2]); // [N, P, H, P]
      expect(values(own.scores)).toEqual([expect.closeTo(r, 5), 0, 0, expect.closeTo(r, 5)]);
      const previous = tf.tensor4d([0, Math.log(3) - r, r, r], [1, 2, 1, 2]);
      const res = attention.apply(x, previous, evalCtx);
      // own [[r, 0], [0, r]] + previous [[0, ln 3 − r], [r, r]]:
      const scores = [r, Math.log(3) - r, r, r + r];
      values(res.scores).forEach((v, i) => expect(v).toBeCloseTo(scores[i]!, 5));
      // row 0: softmax([r, ln 3 − r]) ∝ [e^r, 3e^−r]; row 1: softmax([r, 2r]); output = weights · I.
      const w0 = [Math.exp(r), 3 * Math.exp(-r)].map((e, _, all) => e / (all[0]! + all[1]!));
      const w1 = [Math.exp(r), Math.exp(2 * r)].map((e, _, all) => e / (all[0]! + all[1]!));
      values(res.output).forEach((v, i) => expect(v).toBeCloseTo([...w0, ...w1][i]!, 5));
      tf.dispose([x, previous, own.output, own.scores, res.output, res.scores]);
      store.dispose();
    });

    it(`${mixing}: keeps heads apart with scale 1/√head_dim, scores as [N, P, H, P]`, () => {
      const { store, attention } = identityAttention(2, mixing); // two heads of width 1: scale 1
      const x = tf.tensor3d([1, 2, 3, 4], [1, 2, 2]); // head 0 reads 1, 3; head 1 reads 2, 4
      const { output, scores } = attention.apply(x, undefined, evalCtx);
      // patch 0: head 0 [1·1, 1·3], head 1 [2·2, 2·4]; patch 1: head 0 [3·1, 3·3], head 1 [4·2, 4·4]
      expect(values(scores)).toEqual([1, 3, 4, 8, 3, 9, 8, 16]);
      // patch 0, head 0 mixes 1 and 3 by softmax([1, 3]).
      const w = Math.exp(3) / (Math.exp(1) + Math.exp(3));
      expect(values(output)[0]).toBeCloseTo((1 - w) * 1 + w * 3, 5);
      tf.dispose([x, output, scores]);
      store.dispose();
    });
  }

  it('mixes elementwise and by batched products to the same values and gradients', () => {
    const store = createParamStore('attn-test', 3);
    const options = { path: 'attn', hiddenSize: 8, nHeads: 2, attnDropout: 0, projDropout: 0 };
    const elementwise = createResidualAttention(store, { ...options, path: 'a', mixing: 'elementwise' });
    const batched = createResidualAttention(store, { ...options, path: 'b', mixing: 'batched' });
    // Same weights in both.
    const half = store.variables.length / 2;
    store.variables.slice(half).forEach((v, i) => v.assign(store.variables[i]!));
    const x = tf.randomNormal([3, 5, 8], 0, 1, 'float32', 5) as tf.Tensor3D;
    const previous = tf.randomNormal([3, 5, 2, 5], 0, 1, 'float32', 6) as tf.Tensor4D;
    const a = elementwise.apply(x, previous, evalCtx);
    const b = batched.apply(x, previous, evalCtx);
    values(a.output).forEach((v, i) => expect(v).toBeCloseTo(values(b.output)[i]!, 4));
    values(a.scores).forEach((v, i) => expect(v).toBeCloseTo(values(b.scores)[i]!, 4));
    const grad = (attention: typeof batched) =>
      tf.grad((input: tf.Tensor) => {
        const out = attention.apply(input as tf.Tensor3D, previous, evalCtx);
        return tf.add(tf.sum(tf.square(out.output)), tf.sum(out.scores));
      })(x);
    const ga = grad(elementwise);
    const gb = grad(batched);
    values(ga).forEach((v, i) => expect(v).toBeCloseTo(values(gb)[i]!, 3));
    tf.dispose([x, previous, a.output, a.scores, b.output, b.scores, ga, gb]);
    store.dispose();
  });
});

describe('PatchTST network', () => {
  it("has NeuralForecast's parameters at h=12, input_size=24 less its three frozen attention scales", () => {
    // P = 3 patches. W_P Linear(16,128) = 2_176; W_pos [3,128] = 384.
    // Per layer: W_Q, W_K, W_V 3 x 16_512; to_out 16_512; two BatchNorm1d(128) 2 x 256;
    // ff Linear(128,256) = 33_024 + Linear(256,128) = 32_896 -> 132_480. Head Linear(384, 12) = 4_620.
    // NeuralForecast's 404_623 also counts each layer's `scale`, an nn.Parameter with
    // requires_grad=False (lsa off): a constant here, as BatchNorm's running stats are buffers.
    const net = build(dims({ h: 12, inputSize: 24 }));
    expect(countParameters(net.variables)).toBe(2_176 + 384 + 3 * 132_480 + 4_620); // 404_620
    expect(404_620 + 3).toBe(404_623);
    net.dispose();
    // A frozen positional table is saved but not trained; RevIN's affine adds a gain and a shift.
    const frozen = build(dims({ h: 12, inputSize: 24 }), { learn_pos_embed: false, revin_affine: true });
    expect(countParameters(frozen.variables)).toBe(404_620 - 384 + 2);
    frozen.dispose();
  });

  it('forecasts [B, H, outputs] for a window shorter than a patch, and every activation', () => {
    const d = dims({ h: 3, inputSize: 4, nOutputs: 2 });
    for (const overrides of [
      { hidden_size: 8, n_heads: 2, linear_hidden_size: 8, encoder_layers: 2 },
      { hidden_size: 8, n_heads: 2, linear_hidden_size: 8, activation: 'ReLU', batch_normalization: true },
      { hidden_size: 8, n_heads: 2, linear_hidden_size: 8, revin: false, res_attention: false },
    ]) {
      const net = build(d, overrides);
      const batch = randomBatch(d, 5);
      const before = tf.memory().numTensors;
      const out = net.forward(batch, { training: true, seed: 3 });
      expect(out.shape).toEqual([5, 3, 2]);
      expect(values(out).every(Number.isFinite)).toBe(true);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      disposeBatch(batch);
      net.dispose();
    }
  });

  it('rejects exogenous columns and heads that do not divide hidden_size', () => {
    expect(() => build(dims({ h: 3, inputSize: 8, histExogSize: 1 }))).toThrow(ConfigError);
    expect(() => build(dims({ h: 3, inputSize: 8 }), { hidden_size: 10, n_heads: 4 })).toThrow(
      /hidden_size \(10\) must be divisible by n_heads \(4\)/,
    );
    expect(() => spec.configSchema.parse({ activation: 'tanh' })).toThrow();
  });

  it('residual attention changes the forecast (the scores reach the next layer)', () => {
    const d = dims({ h: 2, inputSize: 8 });
    // Four patches (one patch would make every softmax 1 and attention irrelevant).
    const small = {
      hidden_size: 8,
      n_heads: 2,
      linear_hidden_size: 8,
      encoder_layers: 2,
      patch_len: 4,
      stride: 2,
    };
    const withRes = build(d, { ...small, res_attention: true });
    const without = build(d, { ...small, res_attention: false });
    const batch = randomBatch(d, 3);
    const a = withRes.forward(batch, { training: false });
    const b = without.forward(batch, { training: false });
    // Same seed, same weights: only the carried scores differ.
    expect(values(a)).not.toEqual(values(b));
    tf.dispose([a, b]);
    disposeBatch(batch);
    withRes.dispose();
    without.dispose();
  });
});

describe('PatchTST batch-norm statistics in a fitted model', () => {
  it('moves the running statistics while fitting and keeps them through save and load', async () => {
    const monthEnd = (i: number): string => new Date(Date.UTC(2000, i + 1, 0)).toISOString().slice(0, 10);
    const df = ['a', 'b'].flatMap((id, k) =>
      Array.from({ length: 40 }, (_, t) => ({
        unique_id: id,
        ds: monthEnd(t),
        y: 10 * k + Math.sin((2 * Math.PI * t) / 6) + 0.05 * t,
      })),
    );
    const config = {
      h: 3,
      input_size: 12,
      max_steps: 5,
      hidden_size: 8,
      n_heads: 2,
      linear_hidden_size: 8,
      encoder_layers: 1,
      patch_len: 4,
      stride: 2,
    };
    const nf = new NeuralForecast({ models: [{ id: 'patchtst', config }], freq: 'M' });
    await nf.fit({ df });
    const stats = (model: NeuralForecast) =>
      model.models[0]!.network!.variables.filter((v) => /running_(mean|var)$/.test(logicalName(v)));
    const fitted = stats(nf);
    expect(fitted.map((v) => logicalName(v).split('/').slice(-2).join('/'))).toEqual([
      'norm_attn/running_mean',
      'norm_attn/running_var',
      'norm_ffn/running_mean',
      'norm_ffn/running_var',
    ]);
    // Five training steps moved them away from PyTorch's 0 / 1 start.
    expect(values(fitted[0]!).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    const before = await nf.predict();
    const target = path.join(dir, 'patchtst');
    await nf.save(target);
    const loaded = await NeuralForecast.load(target);
    stats(loaded).forEach((v, i) => expect(values(v)).toEqual(values(fitted[i]!)));
    expect(await loaded.predict()).toEqual(before);
    nf.dispose();
    loaded.dispose();
  });
});
