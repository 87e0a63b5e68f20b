import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import type { MultivariateDims, MultivariateNetwork } from '../src/model/types.js';
import { getMultivariateModelSpec, type ModelId } from '../src/models/registry.js';
import { createStar, sampleSeriesChoice, starPool } from '../src/models/softs/star.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createParamStore, type ParamStore } from '../src/nn/params.js';
import { dims, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

const small: MultivariateDims = { ...dims({ h: 2, inputSize: 6 }), nSeries: 3 };

/** Builds registry model `id` at `d` with `config` over its defaults, seed 1. */
const build = (id: ModelId, config: Record<string, unknown>, d = small): MultivariateNetwork => {
  const spec = getMultivariateModelSpec(id);
  return spec.build(spec.configSchema.parse({ n_series: d.nSeries, ...config }), d, 1);
};

/** Eval forecast [B, H, N, K] of `net` for windows `y` [B, L, N]. */
const forecast = (net: MultivariateNetwork, y: tf.Tensor3D): number[][][][] => {
  const out = net.forward({ insampleY: y, insampleMask: tf.onesLike(y) }, { training: false });
  const values = out.arraySync();
  out.dispose();
  return values;
};

const randomWindows = (b: number, seed: number): tf.Tensor3D =>
  tf.randomNormal([b, small.inputSize, small.nSeries], 0, 1, 'float32', seed);

describe('iTransformer (inverted: one token per series)', () => {
  const config = { hidden_size: 8, n_heads: 2, e_layers: 2, d_ff: 8 };

  it('permutes its forecast with the series: tokens carry no series position', () => {
    const net = build('itransformer', config);
    const y = randomWindows(2, 3);
    const perm = [2, 0, 1];
    const permuted = tf.gather(y, perm, 2);
    const a = forecast(net, y);
    const b = forecast(net, permuted);
    for (const [w, window] of a.entries())
      for (const [t, step] of window.entries())
        perm.forEach((from, to) => expect(b[w]?.[t]?.[to]?.[0]).toBeCloseTo(step[from]?.[0] as number, 5));
    tf.dispose([y, permuted]);
    net.dispose();
  });

  it('with use_norm, maps a·y + c per series to a·forecast + c (the window statistics are undone)', () => {
    const net = build('itransformer', config);
    const y = randomWindows(2, 5);
    const scale = [3, 0.5, 10];
    const shift = [100, -4, 0.25];
    const moved = tf.add(tf.mul(y, tf.tensor1d(scale)), tf.tensor1d(shift)) as tf.Tensor3D;
    const a = forecast(net, y);
    const b = forecast(net, moved);
    for (const [w, window] of a.entries())
      for (const [t, step] of window.entries())
        step.forEach((series, n) => {
          const expected = (scale[n] as number) * (series[0] as number) + (shift[n] as number);
          expect(b[w]?.[t]?.[n]?.[0]).toBeCloseTo(expected, 2);
        });
    tf.dispose([y, moved]);
    net.dispose();
  });

  it('refuses more heads than channels, naming both', () => {
    expect(() => build('itransformer', { hidden_size: 4, n_heads: 8 })).toThrow(
      /iTransformer: n_heads = 8 exceeds hidden_size = 4/,
    );
  });

  it('lays out K outputs per step and series: [B, H, N, K]', () => {
    const net = build('itransformer', { ...config, use_norm: false }, { ...small, nOutputs: 2 });
    const y = randomWindows(4, 7);
    const out = net.forward({ insampleY: y, insampleMask: tf.onesLike(y) }, { training: true, seed: 1 });
    expect(out.shape).toEqual([4, small.h, small.nSeries, 2]);
    tf.dispose([y, out]);
    net.dispose();
  });
});

describe("SOFTS's STAR aggregation", () => {
  const ln3 = Math.log(3);
  const evalCtx = () => createForwardContext({ training: false }, new Rng(1));

  it('pools the series by their softmax weights at inference: Σₙ softmax(core)ₙ · coreₙ', () => {
    // Channel 0: cores (0, ln 3) weigh (1/4, 3/4) -> 3/4·ln 3; channel 1: equal cores pool to themselves.
    const core = tf.tensor3d([0, 2, ln3, 2], [1, 2, 2]); // [B=1, N=2, C=2]
    const pooled = starPool(core, evalCtx());
    expect(pooled.shape).toEqual([1, 1, 2]);
    expect(Array.from(pooled.dataSync())).toEqual([expect.closeTo(0.75 * ln3, 6), expect.closeTo(2, 6)]);
    tf.dispose([core, pooled]);
  });

  it('draws one series per channel while training, with probability softmax(core), and passes the gradient to it alone', () => {
    // 4000 channels, each choosing between cores 0 and ln 3: series 1 should win 3/4 of them.
    const C = 4000;
    const core = tf.tensor3d([...new Array<number>(C).fill(0), ...new Array<number>(C).fill(ln3)], [1, 2, C]);
    const pooled = starPool(core, createForwardContext({ training: true, seed: 9 }, new Rng(1)));
    const values = Array.from(pooled.dataSync());
    expect(values.every((v) => v === 0 || Math.abs(v - ln3) < 1e-6)).toBe(true);
    expect(values.filter((v) => v > 0).length / C).toBeCloseTo(0.75, 1);
    const grad = tf.grad((x: tf.Tensor) =>
      tf.sum(starPool(x as tf.Tensor3D, createForwardContext({ training: true, seed: 9 }, new Rng(1)))),
    )(core);
    // [1, 2, C]: 1 at the drawn series of each channel (the same seed draws the same series), 0 elsewhere.
    const picked = values.map((v) => (v > 0 ? 1 : 0));
    expect((grad.arraySync() as number[][][])[0]).toEqual([picked.map((p) => 1 - p), picked]);
    tf.dispose([core, pooled, grad]);
  });

  it('reads NaN cores as 0 when drawing (torch.nan_to_num)', () => {
    const core = tf.tensor3d([NaN, 50], [1, 2, 1]);
    const choice = sampleSeriesChoice(core, new Rng(3));
    expect(Array.from(choice.dataSync())).toEqual([0, 1]);
    tf.dispose([core, choice]);
  });

  it("SOFTSSharp's block is SOFTS's over tokens plus keep·pe_scale·PE at inference, and PE or nothing while training", () => {
    // Same seed, same draws: pe_scale is a constant, so gen1..gen4 get the same weights in both stores.
    const stores = [createParamStore('plain', 4)];
    const options = { path: 'star', seriesDim: 4, coreDim: 3 };
    const plain = createStar(stores[0] as ParamStore, options);
    const sharp = (keepProb: number) => {
      const store = createParamStore('sharp', 4);
      stores.push(store);
      return createStar(store, { ...options, positional: { keepProb } });
    };
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 2) as tf.Tensor3D; // [B, N=3, E=4]
    // Rows n of the table: (sin n, cos n, sin(n/100), cos(n/100)) for E = 4.
    const pe = tf.tensor3d(
      [0, 1, 2].flatMap((n) => [Math.sin(n), Math.cos(n), Math.sin(n / 100), Math.cos(n / 100)]),
      [1, 3, 4],
    );
    const run = (block: ReturnType<typeof createStar>, input: tf.Tensor3D, training = false) =>
      block.apply(input, input, input, createForwardContext({ training, seed: 1 }, new Rng(1))).output;
    const shifted = tf.add(x, tf.mul(pe, 0.25)) as tf.Tensor3D;
    const expected = run(plain, shifted);
    const got = run(sharp(0.25), x);
    expect(Array.from(got.dataSync())).toEqual(
      Array.from(expected.dataSync()).map((v) => expect.closeTo(v, 5)),
    );
    // One series: the pooling draws nothing, so training differs only by the encoding's coin (1: always, 0: never).
    const one = tf.slice(x, [0, 0, 0], [2, 1, 4]) as tf.Tensor3D;
    const first = tf.slice(pe, [0, 0, 0], [1, 1, 4]);
    const always = run(sharp(1), one, true);
    const never = run(sharp(0), one, true);
    const withPe = run(plain, tf.add(one, first) as tf.Tensor3D, true);
    const withoutPe = run(plain, one, true);
    expect(Array.from(always.dataSync())).toEqual(
      Array.from(withPe.dataSync()).map((v) => expect.closeTo(v, 5)),
    );
    expect(Array.from(never.dataSync())).toEqual(
      Array.from(withoutPe.dataSync()).map((v) => expect.closeTo(v, 5)),
    );
    tf.dispose([x, pe, shifted, expected, got, one, first, always, never, withPe, withoutPe]);
    for (const store of stores) store.dispose();
  });
});
