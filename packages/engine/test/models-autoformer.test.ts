import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import type { ModelDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import {
  aggregateDelays,
  autoCorrelation,
  circulantBasis,
  delayCount,
  delayWeights,
  meanCorrelation,
  topIndices,
} from '../src/nn/auto-correlation.js';
import { irfftMatrix, rfftMatrix } from '../src/nn/dft.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { createSeasonalLayerNorm } from '../src/nn/seasonal-layer-norm.js';
import { createSeriesDecomposition, movingAverageMatrix } from '../src/nn/series-decomp.js';
import { movingAverageMatrix as dlinearMovingAverage } from '../src/models/dlinear/dlinear.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const spec = MODELS.autoformer;
const build = (d: ModelDims, overrides: Record<string, unknown> = {}) =>
  spec.build(spec.configSchema.parse(overrides), d, 1);
const context = (training: boolean) => createForwardContext({ training, seed: 1 }, new Rng(1));
/** [rows, L] of f(row, t) as a tensor. */
const signal = (rows: number, L: number, f: (row: number, t: number) => number): tf.Tensor2D =>
  tf.tensor2d(
    Array.from({ length: rows * L }, (_, i) => f(Math.floor(i / L), i % L)),
    [rows, L],
  );

describe('series decomposition (MovingAvg with replicate padding, SeriesDecomp)', () => {
  it('averages over the window with the first and last values repeated at the edges', () => {
    // Width 3 over [1, 2, 3, 4, 10]: padded [1, 1, 2, 3, 4, 10, 10] ->
    // (1+1+2)/3, (1+2+3)/3, (2+3+4)/3, (3+4+10)/3, (4+10+10)/3.
    const x = tf.tensor3d([1, 2, 3, 4, 10], [1, 5, 1]);
    const { trend, seasonal } = createSeriesDecomposition(3).apply(x);
    const expected = [4 / 3, 2, 3, 17 / 3, 8];
    Array.from(trend.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    Array.from(seasonal.dataSync()).forEach((v, i) =>
      expect(v).toBeCloseTo([1, 2, 3, 4, 10][i]! - expected[i]!, 5),
    );
    tf.dispose([x, trend, seasonal]);
  });

  it('a window wider than the sequence still averages replicated edges (25 over 4 steps)', () => {
    // Step 0 sees 12 padded copies of x0, then x0..x3 and x3 repeated 9 times: (13·1 + 2 + 3 + 10·4)/25.
    const m = movingAverageMatrix(4, 25);
    const trend0 = [1, 2, 3, 4].reduce((acc, v, s) => acc + v * m[s * 4]!, 0);
    expect(trend0).toBeCloseTo((13 * 1 + 2 + 3 + 10 * 4) / 25, 5);
  });

  it('decomposes every channel alike and DLinear keeps the same matrix', () => {
    expect(dlinearMovingAverage).toBe(movingAverageMatrix);
    const x = tf.tensor3d([1, 10, 2, 20, 3, 30], [1, 3, 2]); // channel 1 = 10 × channel 0
    const { trend } = createSeriesDecomposition(3).apply(x);
    const t = trend.dataSync();
    for (let i = 0; i < 3; i += 1) expect(t[2 * i + 1]).toBeCloseTo(10 * t[2 * i]!, 4);
    expect(() => createSeriesDecomposition(4)).toThrow(/odd/);
    tf.dispose([x, trend]);
  });

  it('gives the seasonal part alone (one product with I − M) as x − trend, forward and gradient', () => {
    const decomposition = createSeriesDecomposition(25);
    const x = tf.randomNormal([2, 24, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
    const dy = tf.randomNormal([2, 24, 3], 0, 1, 'float32', 8);
    const [alone, viaTrend] = tf.tidy(() =>
      [
        (t: tf.Tensor3D) => decomposition.seasonal(t),
        (t: tf.Tensor3D) => decomposition.apply(t).seasonal,
      ].map((f) =>
        [f(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t as tf.Tensor3D), dy)))(x)].map((r) =>
          Array.from(r.dataSync()),
        ),
      ),
    );
    alone!.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(viaTrend![i]![j]!, 5)));
    tf.dispose([x, dy]);
  });
});

describe('real DFT bases', () => {
  it('matches hand-computed rfft values and inverts them for even and odd lengths', () => {
    // rfft([1, 2, 3, 4]) = [10, −2+2i, −2].
    const spectrum = tf.matMul(tf.tensor2d([1, 2, 3, 4], [1, 4]), tf.tensor2d(rfftMatrix(4), [4, 6]));
    const s = Array.from(spectrum.dataSync());
    [10, -2, -2, 0, 2, 0].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 5));
    for (const L of [7, 24]) {
      const x = signal(2, L, (r, t) => Math.sin(t * (r + 1)) + 0.1 * t);
      const F = Math.floor(L / 2) + 1;
      const back = tf.matMul(
        tf.matMul(x, tf.tensor2d(rfftMatrix(L), [L, 2 * F])),
        tf.tensor2d(irfftMatrix(L), [2 * F, L]),
      );
      const [a, b] = [x.dataSync(), back.dataSync()];
      a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
    }
  });

  it('drops the imaginary part of the zero and Nyquist bins, as irfft does', () => {
    const inverse = irfftMatrix(4); // rows: Re 0, Re 1, Re 2, Im 0, Im 1, Im 2
    for (const row of [3, 5]) for (let t = 0; t < 4; t += 1) expect(inverse[row * 4 + t]).toBeCloseTo(0, 6);
    expect(() => irfftMatrix(4, [3])).toThrow(RangeError);
  });
});

describe('AutoCorrelation', () => {
  it('keeps ⌊factor·ln L⌋ delays', () => {
    expect(delayCount(3, 24)).toBe(9); // 3·ln 24 = 9.53
    expect(delayCount(1, 24)).toBe(3); // 3.18
    expect(delayCount(1, 2)).toBe(0); // 0.69: no delay, as torch.topk(…, 0)
    expect(delayCount(3, 4)).toBe(4); // 4.16, capped at L
    expect(topIndices([1, 3, 3, 2], 3)).toEqual([1, 2, 3]);
  });

  it('finds the period of a sine: R(τ) = L/2·cos(2πτ/P), top delays at the multiples of P', () => {
    // sin(2πt/6) over L = 24 in one channel: the circular auto-correlation is 12·cos(πτ/3),
    // largest (12) at τ = 0, 6, 12, 18. A second window of period 8 peaks at 0, 8, 16.
    const L = 24;
    const x = signal(2, L, (r, t) => Math.sin((2 * Math.PI * t) / (r === 0 ? 6 : 8)));
    const q = tf.reshape(x, [2, L, 1]) as tf.Tensor3D;
    const F = L / 2 + 1;
    const corr = meanCorrelation(
      q,
      q,
      tf.tensor2d(rfftMatrix(L), [L, 2 * F]),
      tf.tensor2d(irfftMatrix(L), [2 * F, L]),
    );
    const c = corr.arraySync();
    for (let tau = 0; tau < L; tau += 1) {
      expect(c[0]![tau]).toBeCloseTo(12 * Math.cos((Math.PI * tau) / 3), 3);
      expect(c[1]![tau]).toBeCloseTo(12 * Math.cos((Math.PI * tau) / 4), 3);
    }
    // The four peaks tie exactly in exact arithmetic; the next value (6) is far below.
    expect(topIndices(c[0]!, 4).sort((a, b) => a - b)).toEqual([0, 6, 12, 18]);
    expect(topIndices(c[1]!, 3).sort((a, b) => a - b)).toEqual([0, 8, 16]);
    tf.dispose([x, q, corr]);
  });

  it('weights the delays of the batch mean while training and of each window at inference', () => {
    // corr rows [5, 1, 4, 0, 0, 2] and [1, 0, 0, 3, 0, 1]; batch mean [3, .5, 2, 1.5, 0, 1.5].
    const corr = tf.tensor2d([5, 1, 4, 0, 0, 2, 1, 0, 0, 3, 0, 1], [2, 6]);
    const soft = (a: number, b: number) => Math.exp(a) / (Math.exp(a) + Math.exp(b));
    // Training, k = 2: shared delays 0 and 2; row 0 softmax(5, 4), row 1 softmax(1, 0).
    const shared = delayWeights(corr, 2, true).arraySync();
    expect(shared[0]![0]).toBeCloseTo(soft(5, 4), 5);
    expect(shared[0]![2]).toBeCloseTo(soft(4, 5), 5);
    expect(shared[1]![0]).toBeCloseTo(soft(1, 0), 5);
    expect(shared[1]![2]).toBeCloseTo(soft(0, 1), 5);
    expect(shared[1]![3]).toBe(0);
    // Inference, k = 2: row 0 its delays 0 and 2; row 1 delay 3 (3) then 0 (1, tied with 5: lower first).
    const own = delayWeights(corr, 2, false).arraySync();
    expect(own[0]![0]).toBeCloseTo(soft(5, 4), 5);
    expect(own[1]![3]).toBeCloseTo(soft(3, 1), 5);
    expect(own[1]![0]).toBeCloseTo(soft(1, 3), 5);
    expect(own[1]![5]).toBe(0);
    expect(
      delayWeights(corr, 0, true)
        .dataSync()
        .every((w) => w === 0),
    ).toBe(true);
    corr.dispose();
  });

  it('aggregates values rolled by the chosen delays: out[t] = Σ w_τ·v[(t+τ) mod L]', () => {
    // Equal weights on delays 0, 6, 12, 18 of the ramp v[t] = t over 24 steps:
    // out[0] = (0+6+12+18)/4 = 9, out[5] = (5+11+17+23)/4 = 14, out[20] = (20+2+8+14)/4 = 11.
    const L = 24;
    const weights = signal(1, L, (_, tau) => (tau % 6 === 0 ? 0.25 : 0));
    const values = tf.tensor3d(
      Array.from({ length: L }, (_, t) => t),
      [1, L, 1],
    );
    const out = aggregateDelays(weights, values, tf.tensor2d(circulantBasis(L), [L, L * L])).dataSync();
    expect(out[0]).toBeCloseTo(9, 5);
    expect(out[5]).toBeCloseTo(14, 5);
    expect(out[20]).toBeCloseTo(11, 5);
    tf.dispose([weights, values]);
  });

  it('as an inner attention: zero-pads short keys, and its training path passes gradients to q and k', () => {
    const inner = autoCorrelation({ factor: 1 });
    const q = tf.randomNormal([2, 8, 2, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const k = tf.randomNormal([2, 5, 2, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const v = tf.randomNormal([2, 5, 2, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    expect(inner(q, k, v, context(false)).values.shape).toEqual([2, 8, 2, 3]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(inner(a as tf.Tensor4D, b as tf.Tensor4D, v, context(true)).values)),
    )([q, k]);
    for (const g of grads) {
      expect(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0])).toBe(true);
      expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    }
    tf.dispose([q, k, v, ...grads]);
  });
});

describe('Autoformer', () => {
  it("normalises the seasonal part to zero mean over time (Autoformer's LayerNorm)", () => {
    const store = createParamStore('test', 1);
    const norm = createSeasonalLayerNorm(store, 'norm', 4);
    const x = tf.randomNormal([2, 6, 4], 3, 2, 'float32', 1);
    const means = tf.mean(norm.apply(x), 1).dataSync();
    means.forEach((m) => expect(m).toBeCloseTo(0, 5));
    store.dispose();
    x.dispose();
  });

  it("has NeuralForecast's 290,561 parameters at h=12, input_size=24", () => {
    // Token conv 3·128 per embedding (2): 768. AutoCorrelationLayer: 4 × Linear(128,128) = 66_048.
    // Encoder layer: 66_048 + conv1 128·32 + conv2 32·128 = 74_240 (× 2). Encoder norm 256.
    // Decoder layer: 2 × 66_048 + 8_192 + trend conv 3·128·1 = 140_672. Decoder norm 256, Linear(128,1) 129.
    const net = build(dims({ h: 12, inputSize: 24 }));
    expect(countParameters(net.variables)).toBe(768 + 2 * 74_240 + 256 + 140_672 + 256 + 129);
    expect(countParameters(net.variables)).toBe(290_561);
    net.dispose();
  });

  it('forecasts [B, h, outputs] with future exogenous marks and rejects other exogenous kinds', () => {
    const d = dims({ h: 3, inputSize: 8, futrExogSize: 2, nOutputs: 2 });
    const net = build(d, { hidden_size: 8, n_head: 2, conv_hidden_size: 4, MovingAvg_window: 3 });
    const batch = randomBatch(d, 5);
    const out = net.forward(batch, { training: false });
    expect(out.shape).toEqual([5, 3, 2]);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose(out);
    disposeBatch(batch);
    net.dispose();
    expect(() => build(dims({ h: 3, inputSize: 8, histExogSize: 1 }))).toThrow(
      /Autoformer does not accept hist_exog_list.*accepts futr_exog_list/,
    );
  });

  it('rejects a decoder_input_size_multiplier that leaves no window part or all of it, and an even MovingAvg_window', () => {
    // ⌈3·0.9⌉ = 3 = input_size.
    expect(() => build(dims({ h: 2, inputSize: 3 }), { decoder_input_size_multiplier: 0.9 })).toThrow(
      ConfigError,
    );
    expect(() => build(dims({ h: 2, inputSize: 3 }), { decoder_input_size_multiplier: 0.9 })).toThrow(
      /label_len = 3/,
    );
    expect(() => spec.configSchema.parse({ MovingAvg_window: 24 })).toThrow(/odd/);
    expect(() => spec.configSchema.parse({ activation: 'tanh' })).toThrow();
  });
});
