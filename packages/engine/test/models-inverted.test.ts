import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultivariateDims, MultivariateNetwork } from '../src/model/types.js';
import { getMultivariateModelSpec, type ModelId } from '../src/models/registry.js';
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
