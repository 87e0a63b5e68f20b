import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@nflab/contracts';
import type { ModelDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { complexTanh, realBlockMatrix } from '../src/models/fedformer/complex.js';
import {
  createFourierBlock,
  createFourierCrossAttention,
  type FourierAttention,
} from '../src/models/fedformer/fourier-block.js';
import { frequencyModes } from '../src/models/fedformer/frequency-modes.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const spec = MODELS.fedformer;
const build = (d: ModelDims, overrides: Record<string, unknown> = {}) =>
  spec.build(spec.configSchema.parse(overrides), d, 1);
const ctx = createForwardContext({ training: false }, new Rng(1));

/** Sets a block's complex weight to the identity per head and mode (real I, imaginary 0). */
function identityWeight(block: FourierAttention): void {
  const [H, M, E] = block.weight.real.shape as number[];
  block.weight.real.assign(tf.tile(tf.reshape(tf.eye(E!), [1, 1, E!, E!]), [H!, M!, 1, 1]));
  block.weight.imag.assign(tf.zerosLike(block.weight.imag));
}

/** [1, L, 8, 1]: every head reads the same series f(t). */
const everyHead = (L: number, f: (t: number) => number): tf.Tensor4D =>
  tf.tensor4d(
    Array.from({ length: L * 8 }, (_, i) => f(Math.floor(i / 8))),
    [1, L, 8, 1],
  );

describe('Fourier mode selection (get_frequency_modes)', () => {
  it("'low' keeps the lowest min(modes, ⌊L/2⌋) bins", () => {
    const rng = new Rng(1);
    expect(frequencyModes(24, 64, 'low', rng)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(frequencyModes(24, 5, 'low', rng)).toEqual([0, 1, 2, 3, 4]);
    expect(frequencyModes(7, 64, 'low', rng)).toEqual([0, 1, 2]);
  });

  it("'random' draws a sorted subset of 0..⌊L/2⌋−1 from the seeded stream, the same for the same seed", () => {
    const a = frequencyModes(48, 6, 'random', new Rng(7, 'fedformer/modes'));
    const b = frequencyModes(48, 6, 'random', new Rng(7, 'fedformer/modes'));
    const c = frequencyModes(48, 6, 'random', new Rng(8, 'fedformer/modes'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const modes of [a, c]) {
      expect(modes).toHaveLength(6);
      expect(new Set(modes).size).toBe(6);
      expect([...modes].sort((x, y) => x - y)).toEqual(modes);
      expect(modes.every((m) => Number.isInteger(m) && m >= 0 && m < 24)).toBe(true);
    }
    // At least as many modes as bins: every bin, whatever the method (NeuralForecast's default at L = 24).
    expect(frequencyModes(24, 64, 'random', new Rng(3))).toEqual(frequencyModes(24, 64, 'low', new Rng(3)));
  });

  it('a FEDformer built twice with one seed predicts the same: its random modes are drawn from the seed', async () => {
    const predict = (seed: number) => {
      const net = spec.build(
        spec.configSchema.parse({ hidden_size: 8, modes: 3 }),
        dims({ h: 12, inputSize: 48 }),
        seed,
      );
      const batch = randomBatch(dims({ h: 12, inputSize: 48 }), 2);
      const out = Array.from(net.forward(batch, { training: false }).dataSync());
      disposeBatch(batch);
      net.dispose();
      return out;
    };
    expect(predict(5)).toEqual(predict(5));
  });
});

describe('complex arithmetic', () => {
  it('multiplies through the real block matrix: (1 + 2i)(3 + 4i) = −5 + 10i', () => {
    const store = createParamStore('test', 1);
    const weight = { real: store.constant('re', [1, 1], 3), imag: store.constant('im', [1, 1], 4) };
    const product = tf.matMul(tf.tensor2d([1, 2], [1, 2]), realBlockMatrix(weight) as tf.Tensor2D).dataSync();
    expect(Array.from(product)).toEqual([-5, 10]);
    store.dispose();
  });

  it('tanh(a + ib) = (sinh 2a + i sin 2b)/(cosh 2a + cos 2b), saturating for large a', () => {
    const [re, im] = complexTanh(tf.tensor1d([0.3, 50, -0.2]), tf.tensor1d([0.4, 1, 2]));
    const expected = [
      [0.3, 0.4],
      [50, 1],
      [-0.2, 2],
    ].map(([a, b]) => {
      const den = Math.cosh(2 * a!) + Math.cos(2 * b!);
      return den === Infinity ? [1, 0] : [Math.sinh(2 * a!) / den, Math.sin(2 * b!) / den];
    });
    const [r, i] = [re.dataSync(), im.dataSync()];
    expected.forEach(([er, ei], k) => {
      expect(r[k]).toBeCloseTo(er!, 5);
      expect(i[k]).toBeCloseTo(ei!, 5);
    });
  });
});

describe('FourierBlock and FourierCrossAttention', () => {
  it('with identity weights and every bin below Nyquist, gives back the series — as NeuralForecast’s [B, H, E, L] view', () => {
    // x(t) = 1 + cos(2πt/8) over L = 8 lives in bins 0 and 1; the identity over modes 0..3 returns it.
    // The block returns [B, H, E, L] viewed as [B, L, H, E]: with E = 1 and H = L = 8, out[l, h] = x(h).
    const store = createParamStore('test', 1);
    const block = createFourierBlock(store, { path: 'fb', hiddenSize: 8, modes: [0, 1, 2, 3] });
    identityWeight(block);
    const x = (t: number) => 1 + Math.cos((2 * Math.PI * t) / 8);
    const q = everyHead(8, x);
    const out = block.attention(q, q, q, ctx).values.arraySync();
    for (let l = 0; l < 8; l += 1)
      for (let h = 0; h < 8; h += 1) expect(out[0]![l]![h]![0]).toBeCloseTo(x(h), 4);
    store.dispose();
  });

  it('writes the i-th chosen mode to bin i: mode 2 of cos(2π·2t/8) comes back as the constant 4/8', () => {
    // rfft bin 2 of cos(2π·2t/8) is 8/2 = 4; placed at bin 0 the irfft is 4/8 everywhere.
    const store = createParamStore('test', 1);
    const block = createFourierBlock(store, { path: 'fb', hiddenSize: 8, modes: [2] });
    identityWeight(block);
    const q = everyHead(8, (t) => Math.cos((2 * Math.PI * 2 * t) / 8));
    const out = block.attention(q, q, q, ctx).values.dataSync();
    out.forEach((v) => expect(v).toBeCloseTo(0.5, 4));
    store.dispose();
  });

  it('cross attention on the zero bin: tanh(Q·K)·K / hidden² / L with Q, K the series sums', () => {
    // Constant q = 0.1, k = 0.2 over 4 steps: Q = 0.4, K = 0.8 (bin 0, real); per head and channel
    // out = tanh(0.4·0.8)·0.8 / 8² at bin 0, then irfft divides by L = 4.
    const store = createParamStore('test', 1);
    const cross = createFourierCrossAttention(store, {
      path: 'fc',
      hiddenSize: 8,
      queryModes: [0],
      keyModes: [0],
    });
    identityWeight(cross);
    const q = everyHead(4, () => 0.1);
    const k = everyHead(4, () => 0.2);
    const out = cross.attention(q, k, k, ctx).values.dataSync();
    out.forEach((v) => expect(v).toBeCloseTo((Math.tanh(0.32) * 0.8) / 64 / 4, 7));
    store.dispose();
  });

  it('cross attention matches a float64 complex evaluation of NeuralForecast’s formula on random inputs', () => {
    // B 2, hidden 16 (8 heads of E = 2), Lq 6 with modes {0, 2}, Lk 8 with modes {1, 3}, random weights.
    const [B, H, E, Lq, Lk] = [2, 8, 2, 6, 8];
    const [queryModes, keyModes] = [
      [0, 2],
      [1, 3],
    ];
    const store = createParamStore('test', 3);
    const cross = createFourierCrossAttention(store, { path: 'fc', hiddenSize: 16, queryModes, keyModes });
    const q = tf.randomNormal([B, Lq, H, E], 0, 1, 'float32', 5) as tf.Tensor4D;
    const k = tf.randomNormal([B, Lk, H, E], 0, 1, 'float32', 6) as tf.Tensor4D;
    const got = cross.attention(q, k, k, ctx).values.dataSync();
    const [qv, kv] = [q.dataSync(), k.dataSync()];
    const [wr, wi] = [cross.weight.real.dataSync(), cross.weight.imag.dataSync()];
    type C = [number, number];
    const mul = ([a, b]: C, [c, d]: C): C => [a * c - b * d, a * d + b * c];
    const tanhC = ([a, b]: C): C => {
      const den = Math.cosh(2 * a) + Math.cos(2 * b);
      return [Math.sinh(2 * a) / den, Math.sin(2 * b) / den];
    };
    /** rfft bin f of channel (b, h, e) of x [B, L, H, E]. */
    const bin = (
      x: Float32Array | Int32Array | Uint8Array,
      L: number,
      b: number,
      h: number,
      e: number,
      f: number,
    ): C => {
      let [re, im] = [0, 0];
      for (let t = 0; t < L; t++) {
        const v = x[((b * L + t) * H + h) * E + e] as number;
        re += v * Math.cos((2 * Math.PI * f * t) / L);
        im -= v * Math.sin((2 * Math.PI * f * t) / L);
      }
      return [re, im];
    };
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const Q = queryModes.map((f) => Array.from({ length: E }, (_, e) => bin(qv, Lq, b, h, e, f)));
        const K = keyModes.map((f) => Array.from({ length: E }, (_, e) => bin(kv, Lk, b, h, e, f)));
        const out = queryModes.map((_, m) => {
          const T = K.map((Kj) =>
            tanhC(
              Q[m]!.reduce<C>(
                (s, qe, e) => {
                  const p = mul(qe, Kj[e]!);
                  return [s[0] + p[0], s[1] + p[1]];
                },
                [0, 0],
              ),
            ),
          );
          const A = Array.from({ length: E }, (_, e) =>
            T.reduce<C>(
              (s, t, j) => {
                const p = mul(t, K[j]![e]!);
                return [s[0] + p[0], s[1] + p[1]];
              },
              [0, 0],
            ),
          );
          return Array.from({ length: E }, (_, o) =>
            A.reduce<C>(
              (s, a, e) => {
                const w = ((h * queryModes.length + m) * E + e) * E + o;
                const p = mul(a, [wr[w] as number, wi[w] as number]);
                return [s[0] + p[0], s[1] + p[1]];
              },
              [0, 0],
            ),
          );
        });
        for (let o = 0; o < E; o++)
          for (let t = 0; t < Lq; t++) {
            const want =
              queryModes.reduce((s, f, m) => {
                const [re, im] = out[m]![o]!;
                const c = f === 0 || 2 * f === Lq ? 1 : 2;
                return (
                  s +
                  (c *
                    (re * Math.cos((2 * Math.PI * f * t) / Lq) -
                      (c === 1 ? 0 : im * Math.sin((2 * Math.PI * f * t) / Lq)))) /
                    Lq
                );
              }, 0) /
              16 ** 2;
            // [B, H, E, L] in memory, viewed as [B, L, H, E].
            expect(got[((b * H + h) * E + o) * Lq + t]).toBeCloseTo(want, 6);
          }
      }
    tf.dispose([q, k]);
    store.dispose();
  });
});

describe('FEDformer', () => {
  it('counts 438,017 real parameters: NeuralForecast’s 364,289 with each complex weight counted as two reals', () => {
    // Everything but the Fourier weights equals Autoformer's 290,561 (n_head does not change the
    // projections). NeuralForecast holds three complex weights1 [8, 16, 16, 12] (the two encoder
    // layers share one FourierBlock): 3 · 24,576 = 73,728 complex entries, which torch's numel
    // counts once each (364,289); stored here as real and imaginary parts, they are 147,456 reals.
    const net = build(dims({ h: 12, inputSize: 24 }));
    expect(countParameters(net.variables)).toBe(290_561 + 2 * 3 * 8 * 16 * 16 * 12);
    expect(countParameters(net.variables) - 3 * 8 * 16 * 16 * 12).toBe(364_289);
    net.dispose();
  });

  it('forecasts [B, h, outputs] with future exogenous marks and rejects other exogenous kinds', () => {
    const d = dims({ h: 3, inputSize: 9, futrExogSize: 2, nOutputs: 2 });
    const net = build(d, { hidden_size: 8, conv_hidden_size: 4, MovingAvg_window: 3, modes: 2 });
    const batch = randomBatch(d, 5);
    for (const training of [true, false]) {
      const out = net.forward(batch, { training, seed: 1 });
      expect(out.shape).toEqual([5, 3, 2]);
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
      out.dispose();
    }
    disposeBatch(batch);
    net.dispose();
    expect(() => build(dims({ h: 3, inputSize: 8, statExogSize: 1 }))).toThrow(
      /FEDformer does not accept stat_exog_list.*accepts futr_exog_list/,
    );
  });

  it("refuses version 'Wavelets', n_head other than 8 and a hidden_size not a multiple of 8", () => {
    expect(() => build(dims({ h: 4, inputSize: 8 }), { version: 'Wavelets' })).toThrow(ConfigError);
    expect(() => build(dims({ h: 4, inputSize: 8 }), { version: 'Wavelets' })).toThrow(
      /'Wavelets' is not supported/,
    );
    expect(() => spec.configSchema.parse({ n_head: 4 })).toThrow(/n_head = 8/);
    expect(() => spec.configSchema.parse({ hidden_size: 100 })).toThrow(/multiple of 8/);
  });
});
