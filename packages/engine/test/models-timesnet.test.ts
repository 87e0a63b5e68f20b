import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import type { ModelDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { createDataEmbedding, positionalTable } from '../src/nn/data-embedding.js';
import {
  channelMeanAmplitudes,
  rfftBasis,
  selectPeriods,
  topFrequencies,
} from '../src/models/timesnet/fft-period.js';
import { conv2dSame, createInceptionBlock } from '../src/models/timesnet/inception.js';
import { fold, foldLoop, foldOps, unfold, unfoldLoop, unfoldOps } from '../src/models/timesnet/unfold.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const spec = MODELS.timesnet;
const build = (d: ModelDims, overrides: Record<string, unknown> = {}) =>
  spec.build(spec.configSchema.parse(overrides), d, 1);

/** [1, T, N] with channel n = scale[n] · f(t). */
function series(T: number, scale: number[], f: (t: number) => number): tf.Tensor3D {
  const values: number[] = [];
  for (let t = 0; t < T; t += 1) for (const s of scale) values.push(s * f(t));
  return tf.tensor3d(values, [1, T, scale.length]);
}

describe('TimesNet period selection (FFT_for_Period)', () => {
  it('picks the period of a pure sine, with weight = channel-mean amplitude A·T/2', () => {
    // sin(2πt/8) over T = 32 steps sits in bin f = 4 with |X| = 32/2 = 16 per unit amplitude;
    // channels of amplitude 1 and 3 average to 2·16 = 32. The offset 10 fills bin 0 (|X_0| = 320·2),
    // which NeuralForecast zeroes before topk, so it must not be chosen.
    const x = series(32, [1, 3], (t) => 10 + Math.sin((2 * Math.PI * t) / 8));
    const basis = tf.tensor2d(rfftBasis(32), [32, 34]);
    const { periods, frequencies, weights } = selectPeriods(x, 1, basis);
    expect(frequencies).toEqual([4]);
    expect(periods).toEqual([8]);
    expect(weights.shape).toEqual([1, 1]);
    expect(weights.dataSync()[0]).toBeCloseTo(32, 3);
    tf.dispose([x, basis, weights]);
  });

  it('orders two components by amplitude and turns frequencies into T // f', () => {
    // sin at f = 4 (amplitude 1 -> 16) and 0.5·cos at f = 8 (-> 8) over T = 32; a third frequency
    // f = 5 with amplitude 0.25 (-> 4) gives period 32 // 5 = 6.
    const x = series(
      32,
      [1],
      (t) =>
        Math.sin((2 * Math.PI * 4 * t) / 32) +
        0.5 * Math.cos((2 * Math.PI * 8 * t) / 32) +
        0.25 * Math.sin((2 * Math.PI * 5 * t) / 32),
    );
    const basis = tf.tensor2d(rfftBasis(32), [32, 34]);
    const { periods, frequencies, weights } = selectPeriods(x, 3, basis);
    expect(frequencies).toEqual([4, 8, 5]);
    expect(periods).toEqual([8, 4, 6]);
    const w = Array.from(weights.dataSync());
    [16, 8, 4].forEach((expected, i) => expect(w[i]).toBeCloseTo(expected, 3));
    tf.dispose([x, basis, weights]);
  });

  it('breaks ties toward the lower frequency and never picks frequency 0', () => {
    expect(topFrequencies([100, 1, 3, 3, 2], 3)).toEqual([2, 3, 4]);
    expect(topFrequencies([100, 0, 0], 2)).toEqual([1, 2]);
  });

  it("matches TensorFlow.js's rfft amplitudes (cpu backend) for an odd length", () => {
    const T = 15;
    const x = tf.randomNormal([3, T, 2], 0, 1, 'float32', 5) as tf.Tensor3D;
    const basis = tf.tensor2d(rfftBasis(T), [T, 2 * 8]);
    const ours = channelMeanAmplitudes(x, basis); // [3, 8]
    const reference = tf.tidy(() => {
      const spectrum = tf.spectral.rfft(tf.transpose(x, [0, 2, 1])); // [3, 2, 8] complex
      return tf.mean(tf.abs(spectrum), 1); // [3, 8]
    });
    expect(ours.shape).toEqual([3, 8]);
    const a = ours.dataSync();
    const b = reference.dataSync();
    for (let i = 0; i < a.length; i += 1) expect(a[i]).toBeCloseTo(b[i] as number, 4);
    tf.dispose([x, basis, ours, reference]);
  });

  it('lets the period weights carry gradient to the input, as |rfft| does in PyTorch', () => {
    const T = 16;
    const basis = tf.tensor2d(rfftBasis(T), [T, 18]);
    const x0 = tf.randomNormal([1, T, 1], 0, 1, 'float32', 3) as tf.Tensor3D;
    const weight = (x: tf.Tensor): tf.Scalar =>
      tf.sum(tf.slice(channelMeanAmplitudes(x as tf.Tensor3D, basis), [0, 3], [1, 1]));
    const g = tf.grad(weight)(x0);
    // d|X_3|/dx_t by central differences, for a few t.
    const eps = 1e-2;
    for (const t of [0, 5, 11]) {
      const bump = tf.mul(tf.reshape(tf.oneHot([t], T), [1, T, 1]), eps);
      const up = weight(tf.add(x0, bump)).dataSync()[0] as number;
      const down = weight(tf.sub(x0, bump)).dataSync()[0] as number;
      expect(g.dataSync()[t]).toBeCloseTo((up - down) / (2 * eps), 2);
    }
    expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(0.1);
    tf.dispose([basis, x0, g]);
  });
});

describe('TimesNet inception block and 2-D convolution', () => {
  it('averages a hand-set 1×1 and 3×3 kernel into one merged convolution', () => {
    const store = createParamStore('timesnet-test', 1);
    const block = createInceptionBlock(store, { path: 'inc', inChannels: 1, outChannels: 1, numKernels: 2 });
    block.kernels[0]?.assign(tf.fill([1, 1, 1, 1], 2));
    block.kernels[1]?.assign(tf.ones([3, 3, 1, 1]));
    block.biases[0]?.assign(tf.tensor1d([1]));
    block.biases[1]?.assign(tf.tensor1d([3]));
    // A single 1 at the corner (0, 0) of a 3×4 grid. Mean of convs: at (0,0) (2·1 + 1)/2 = 1.5,
    // at its 3 neighbours (0 + 1)/2 = 0.5, elsewhere 0; plus the mean bias (1 + 3)/2 = 2.
    const x = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 3, 4, 1]);
    const merged = block.merge();
    const y = conv2dSame(x, merged);
    expect(y.shape).toEqual([1, 3, 4, 1]);
    expect(Array.from(y.dataSync())).toEqual([3.5, 2.5, 2, 2, 2.5, 2.5, 2, 2, 2, 2, 2, 2]);
    tf.dispose([x, y, merged.kernel, merged.bias]);
    store.dispose();
  });

  it('equals tf.conv2d with same padding, including grids smaller than the kernel (cropped taps)', () => {
    const kernel = tf.randomNormal([7, 7, 3, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const bias = tf.randomNormal([4], 0, 1, 'float32', 2) as tf.Tensor1D;
    for (const [H, W] of [
      [1, 12],
      [2, 6],
      [3, 4],
      [6, 2],
      [8, 8],
    ] as const) {
      const x = tf.randomNormal([2, H, W, 3], 0, 1, 'float32', H * 10 + W) as tf.Tensor4D;
      const ours = conv2dSame(x, { kernel, bias });
      const reference = tf.add(tf.conv2d(x, kernel, 1, 'same'), bias);
      expect(ours.shape).toEqual([2, H, W, 4]);
      const a = ours.dataSync();
      const b = reference.dataSync();
      for (let i = 0; i < a.length; i += 1) expect(a[i]).toBeCloseTo(b[i] as number, 4);
      tf.dispose([x, ours, reference]);
    }
    tf.dispose([kernel, bias]);
  });

  it('unfolds taps with zero ends by hand, and fold is its adjoint (each the gradient of the other)', () => {
    // x = [1, 2, 3] on the axis (P = S = Q = 1), k = 3: rows [0,1,2], [1,2,3], [2,3,0].
    const out = new Float32Array(9);
    unfoldLoop(Float32Array.from([1, 2, 3]), out, { P: 1, A: 3, S: 1, Q: 1, k: 3 });
    expect(Array.from(out)).toEqual([0, 1, 2, 1, 2, 3, 2, 3, 0]);
    // fold(z)[a] = Σ_j z[a − j + 1, j]: z = 1..9 as [3 rows, 3 taps] -> a=0: z[1,0]+z[0,1] = 4+2;
    // a=1: z[2,0]+z[1,1]+z[0,2] = 7+5+3; a=2: z[2,1]+z[1,2] = 8+6.
    const folded = new Float32Array(3);
    foldLoop(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), folded, { P: 1, A: 3, S: 1, Q: 1, k: 3 });
    expect(Array.from(folded)).toEqual([6, 15, 14]);
    // <unfold(x), z> = <x, fold(z)> on a random [P, A, S, Q] = [2, 5, 3, 4] with k = 5, and the
    // gradients of the ops agree with that.
    const shape = { P: 2, A: 5, S: 3, Q: 4, k: 5 };
    const x = tf.randomNormal([2, 5, 3, 4], 0, 1, 'float32', 1);
    const z = tf.randomNormal([2, 5, 3, 5, 4], 0, 1, 'float32', 2);
    const lhs = tf.sum(tf.mul(unfold(x, shape), z)).dataSync()[0] as number;
    const rhs = tf.sum(tf.mul(x, fold(z, shape))).dataSync()[0] as number;
    expect(lhs).toBeCloseTo(rhs, 3);
    const gx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(unfold(t, shape), z)))(x);
    const gz = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(x, fold(t, shape))))(z);
    const fz = fold(z, shape);
    const ux = unfold(x, shape);
    expect(Array.from(gx.dataSync())).toEqual(Array.from(fz.dataSync()));
    expect(Array.from(gz.dataSync())).toEqual(Array.from(ux.dataSync()));
    tf.dispose([x, z, gx, gz, fz, ux]);
  });

  it('runs the same unfold and fold, in both tap directions, through the kernels and the slice/pad ops', () => {
    const x = tf.randomNormal([2, 5, 3, 4], 0, 1, 'float32', 3);
    const z = tf.randomNormal([2, 5, 3, 3, 4], 0, 1, 'float32', 4);
    for (const sign of [1, -1] as const) {
      const shape = { P: 2, A: 5, S: 3, Q: 4, k: 3, sign };
      expect(Array.from(unfold(x, shape).dataSync())).toEqual(
        Array.from(unfoldOps(x as tf.Tensor4D, 3, sign).dataSync()),
      );
      const a = fold(z, shape).dataSync();
      const b = foldOps(z, shape).dataSync();
      for (let i = 0; i < a.length; i += 1) expect(a[i]).toBeCloseTo(b[i] as number, 5);
    }
    // σ = −1 reads the other way: unfold([1, 2, 3])[a = 0] = [x[1], x[0], 0].
    const out = new Float32Array(9);
    unfoldLoop(Float32Array.from([1, 2, 3]), out, { P: 1, A: 3, S: 1, Q: 1, k: 3, sign: -1 });
    expect(Array.from(out)).toEqual([2, 1, 0, 3, 2, 1, 0, 3, 2]);
    tf.dispose([x, z]);
  });
});

describe('TimesNet data embedding', () => {
  it('has sine/cosine positional pairs with ω_i = 10000^(−2i/d)', () => {
    const table = positionalTable(2, 4);
    // pos 0: sin 0, cos 0 per pair; pos 1: ω_0 = 1, ω_1 = 10000^(−1/2) = 0.01.
    const expected = [0, 1, 0, 1, Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)];
    Array.from(table).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
  });

  it('embeds [B, L, 1] to [B, L, d] with a circular kernel-3 conv, positions and the futr marks', () => {
    const store = createParamStore('timesnet-test', 1);
    const emb = createDataEmbedding(store, {
      path: 'e',
      inChannels: 1,
      exogSize: 1,
      hiddenSize: 2,
      dropout: 0.5,
    });
    // Column 0 reads x[t−1] + 10·x[t] + 100·x[t+1] (circular); column 1 is 0. Marks weigh 1000 on column 1.
    emb.tokenKernel.assign(
      tf.tensor2d([
        [1, 0],
        [10, 0],
        [100, 0],
      ]),
    );
    emb.temporal?.kernel.assign(tf.tensor2d([[0, 1000]]));
    const x = tf.tensor3d([1, 2, 3], [1, 3, 1]);
    const mark = tf.tensor3d([1, 2, 3], [1, 3, 1]);
    const y = emb.apply(x, mark, { training: false, nextSeed: () => 0 });
    expect(y.shape).toEqual([1, 3, 2]);
    const pos = positionalTable(3, 2); // [sin p, cos p]
    // t=0: 3 + 10 + 200 = 213; t=1: 1 + 20 + 300 = 321; t=2: 2 + 30 + 100 = 132.
    const expected = [213, 1000, 321, 2000, 132, 3000].map((v, i) => v + (pos[i] as number));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 3));
    tf.dispose([x, mark, y]);
    store.dispose();
  });
});

describe('TimesNet model', () => {
  it("has NeuralForecast's 4,688,645 parameters at its defaults, h=12, input_size=24", () => {
    // Per TimesBlock: two inception blocks of 6 convs 64->64 with k = 1,3,…,11: Σk² = 286,
    // 286·64·64 + 6·64 = 1_171_840 each -> 2_343_680; two blocks -> 4_687_360.
    // Token conv 3·64 = 192 (no bias); layer norm 2·64 = 128; predict_linear Linear(24, 36) = 900;
    // projection Linear(64, 1) = 65.
    const net = build(dims({ h: 12, inputSize: 24 }));
    expect(countParameters(net.variables)).toBe(4_687_360 + 192 + 128 + 900 + 65);
    expect(countParameters(net.variables)).toBe(4_688_645);
    net.dispose();
    // Two futr columns add the bias-free temporal embedding Linear(2, 64) = 128.
    const withFutr = build(dims({ h: 12, inputSize: 24, futrExogSize: 2 }));
    expect(countParameters(withFutr.variables)).toBe(4_688_645 + 128);
    withFutr.dispose();
  });

  it('forecasts [B, H, K] and uses the futr columns', () => {
    const d = dims({ h: 4, inputSize: 12, futrExogSize: 2, nOutputs: 3 });
    const net = build(d, { hidden_size: 8, conv_hidden_size: 4, top_k: 3, num_kernels: 3 });
    const batch = randomBatch(d, 5);
    const y = net.forward(batch, { training: false });
    expect(y.shape).toEqual([5, 4, 3]);
    const shifted = { ...batch, futrExog: tf.add(batch.futrExog!, 1) as tf.Tensor3D };
    const y2 = net.forward(shifted, { training: false });
    expect(tf.max(tf.abs(tf.sub(y, y2))).dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([y, y2, shifted.futrExog]);
    disposeBatch(batch);
    net.dispose();
  });

  it('refuses hist and stat exogenous, too many periods and an odd hidden_size with a ConfigError', () => {
    expect(() => build(dims({ h: 4, inputSize: 8, histExogSize: 1 }))).toThrow(ConfigError);
    expect(() => build(dims({ h: 4, inputSize: 8, statExogSize: 1 }))).toThrow(/stat_exog_list/);
    // T = 8 has 4 non-zero frequencies.
    expect(() => build(dims({ h: 4, inputSize: 4 }))).toThrow(/top_k = 5 exceeds the 4 non-zero frequencies/);
    expect(
      build(dims({ h: 4, inputSize: 4 }), { top_k: 4, hidden_size: 4, conv_hidden_size: 2 }).variables.length,
    ).toBeGreaterThan(0);
    expect(() => spec.configSchema.parse({ hidden_size: 7 })).toThrow(/even/);
  });
});
