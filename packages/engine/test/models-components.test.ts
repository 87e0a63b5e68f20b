import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelDims } from '../src/model/types.js';
import { movingAverageMatrix } from '../src/models/dlinear/dlinear.js';
import { seasonalityFrequencies } from '../src/models/nbeats/seasonality-basis.js';
import { trendBasis } from '../src/models/nbeats/trend-basis.js';
import { interpolationMatrix } from '../src/models/nhits/interpolation.js';
import { pool1d } from '../src/models/nhits/pooling.js';
import { MODELS } from '../src/models/registry.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

/** Rows of a row-major [rows, cols] matrix. */
function rows(m: Float32Array, cols: number): number[][] {
  return Array.from({ length: m.length / cols }, (_, r) => Array.from(m.slice(r * cols, (r + 1) * cols)));
}

/** Applies a [n, H] interpolation matrix to knots. */
function interpolate(mode: 'linear' | 'nearest' | 'cubic', knots: number[], out: number): number[] {
  const m = interpolationMatrix(mode, knots.length, out);
  return Array.from({ length: out }, (_, j) =>
    knots.reduce((s, k, i) => s + k * (m[i * out + j] as number), 0),
  );
}

describe('NHITS pooling (PyTorch ceil_mode=True)', () => {
  it('max and average pool with a short last window', () => {
    const x = tf.tensor3d([[[1, 3, 2, 5, 4]]]);
    const max = pool1d(x, 2, 'MaxPool1d');
    const avg = pool1d(x, 2, 'AvgPool1d');
    expect(Array.from(max.dataSync())).toEqual([3, 5, 4]);
    // The last window holds one step; PyTorch divides by the steps that exist.
    expect(Array.from(avg.dataSync())).toEqual([2, 3.5, 4]);
    tf.dispose([x, max, avg]);
  });
});

describe('NHITS interpolation (F.interpolate, align_corners=False)', () => {
  it('linear and nearest match PyTorch', () => {
    interpolate('linear', [0, 1], 4).forEach((v, i) =>
      expect(v).toBeCloseTo([0, 0.25, 0.75, 1][i] as number, 6),
    );
    expect(interpolate('nearest', [10, 20, 30], 5)).toEqual([10, 10, 20, 20, 30]);
    // Same size is the identity for every mode.
    for (const mode of ['linear', 'nearest', 'cubic'] as const) {
      interpolate(mode, [3, -1, 4], 3).forEach((v, i) => expect(v).toBeCloseTo([3, -1, 4][i] as number, 6));
    }
  });

  it('cubic is Keys A=-0.75 with border clamping', () => {
    const y = interpolate('cubic', [0, 1], 4);
    // Output 0: source -0.25, only the neighbour at +1.25 reads value 1: ((A·x - 5A)·x + 8A)·x - 4A at x=1.25.
    expect(y[0]).toBeCloseTo(-0.10546875, 6);
    // Antisymmetric around the middle, and constants are preserved.
    expect((y[0] as number) + (y[3] as number)).toBeCloseTo(1, 6);
    interpolate('cubic', [2, 2, 2], 7).forEach((v) => expect(v).toBeCloseTo(2, 6));
  });
});

describe('N-BEATS bases', () => {
  it('trend bases match numpy/scipy at 5 points', () => {
    // Expected rows from numpy.polynomial Legendre/Chebyshev and scipy BSpline, as NeuralForecast builds them.
    const close = (got: number[][], want: number[][]): void =>
      got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]?.[j] as number, 5)));
    close(rows(trendBasis('legendre', 5, 4), 5), [
      [1, 1, 1, 1, 1],
      [-1, -0.5, 0, 0.5, 1],
      [1, -0.125, -0.5, -0.125, 1],
      [-1, 0.4375, 0, -0.4375, 1],
    ]);
    close(rows(trendBasis('chebyshev', 5, 4), 5), [
      [1, 1, 1, 1, 1],
      [-1, -0.5, 0, 0.5, 1],
      [1, -0.5, -1, -0.5, 1],
      [-1, 1, 0, -1, 1],
    ]);
    close(rows(trendBasis('spline', 5, 5), 5), [
      [1, 0.125, 0, 0, 0],
      [0, 0.59375, 0.25, 0.03125, 0],
      [0, 0.25, 0.5, 0.25, 0],
      [0, 0.03125, 0.25, 0.59375, 0],
      [0, 0, 0, 0.125, 1],
    ]);
    close(rows(trendBasis('polynomial', 4, 3), 4), [
      [1, 1, 1, 1],
      [0, 0.25, 0.5, 0.75],
      [0, 0.0625, 0.25, 0.5625],
    ]);
  });

  it('seasonality frequencies follow numpy arange(n_harmonics, n_harmonics/2*h)/n_harmonics', () => {
    const f = seasonalityFrequencies(3, 7);
    const want = [0, 1, 4 / 3, 5 / 3, 2, 7 / 3, 8 / 3, 3, 10 / 3];
    expect(f).toHaveLength(want.length);
    f.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 10));
  });
});

describe('DLinear moving average', () => {
  it('averages a centred window with edge values repeated', () => {
    const m = movingAverageMatrix(4, 3);
    const y = [1, 2, 3, 10];
    const trend = [0, 1, 2, 3].map((t) => y.reduce((s, v, i) => s + v * (m[i * 4 + t] as number), 0));
    // Padded [1, 1,2,3,10, 10] -> means of 3: 4/3, 2, 5, 23/3.
    [4 / 3, 2, 5, 23 / 3].forEach((v, i) => expect(trend[i]).toBeCloseTo(v, 5));
  });
});

describe('model-specific rules', () => {
  it('config schemas reject inconsistent settings with named fields', () => {
    expect(() => MODELS.nhits.configSchema.parse({ n_blocks: [1, 1] })).toThrow(/n_blocks/);
    expect(() =>
      MODELS.nhits.configSchema.parse({
        mlp_units: [
          [8, 8],
          [4, 4],
        ],
      }),
    ).toThrow(/mlp_units/);
    expect(() => MODELS.nhits.configSchema.parse({ activation: 'GELU' })).toThrow();
    expect(() => MODELS.dlinear.configSchema.parse({ moving_avg_window: 4 })).toThrow(/odd/);
    expect(() => MODELS.nbeats.configSchema.parse({ basis: 'spline', n_basis: 2 })).toThrow(/n_basis/);
  });

  it('NHITS runs every pooling and interpolation mode, with several outputs', () => {
    const d = dims({ h: 5, inputSize: 7, nOutputs: 3, histExogSize: 1, futrExogSize: 1 });
    for (const pooling_mode of ['MaxPool1d', 'AvgPool1d'] as const) {
      for (const interpolation_mode of ['linear', 'nearest', 'cubic'] as const) {
        const config = MODELS.nhits.configSchema.parse({
          mlp_units: [[8, 8]],
          pooling_mode,
          interpolation_mode,
        });
        const net = MODELS.nhits.build(config, d, 1);
        const batch = randomBatch(d, 2);
        const y = net.forward(batch, { training: false });
        expect(y.shape).toEqual([2, 5, 3]);
        expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
        y.dispose();
        disposeBatch(batch);
        net.dispose();
      }
    }
  });

  it('every model rejects non-positive sizes naming the field', () => {
    expect(() =>
      MODELS.mlp.build(MODELS.mlp.configSchema.parse({}), dims({ h: 3, inputSize: 0 }), 1),
    ).toThrow(/inputSize must be a positive integer, got 0/);
  });

  it('N-BEATS rejects h=1 with trend or seasonality stacks, as NeuralForecast does', () => {
    const config = MODELS.nbeats.configSchema.parse({ mlp_units: [[4, 4]] });
    expect(() => MODELS.nbeats.build(config, dims({ h: 1, inputSize: 4 }), 1)).toThrow(ConfigError);
    const identityOnly = MODELS.nbeats.configSchema.parse({
      mlp_units: [[4, 4]],
      stack_types: ['identity'],
      n_blocks: [1],
    });
    MODELS.nbeats.build(identityOnly, dims({ h: 1, inputSize: 4 }), 1).dispose();
  });

  it('NBEATSx exogenous stack needs futr or stat columns and uses them', () => {
    const config = MODELS.nbeatsx.configSchema.parse({
      stack_types: ['exogenous'],
      n_blocks: [1],
      mlp_units: [[8, 8]],
    });
    expect(() => MODELS.nbeatsx.build(config, dims({ h: 3, inputSize: 6 }), 1)).toThrow(ConfigError);
    const d = dims({ h: 3, inputSize: 6, statExogSize: 2, nOutputs: 2 });
    const net = MODELS.nbeatsx.build(config, d, 1);
    const a = randomBatch(d, 2, 1);
    const b = randomBatch(d, 2, 9);
    const y1 = net.forward(a, { training: false });
    const y2 = net.forward({ ...a, statExog: b.statExog }, { training: false });
    expect(y1.shape).toEqual([2, 3, 2]);
    expect(Array.from(y1.dataSync())).not.toEqual(Array.from(y2.dataSync()));
    tf.dispose([y1, y2]);
    disposeBatch(a);
    disposeBatch(b);
    net.dispose();
  });

  it('NLinear is shift-equivariant: adding c to the window adds c to the forecast', () => {
    const d = dims({ h: 3, inputSize: 5 });
    const net = MODELS.nlinear.build({}, d, 1);
    const batch = randomBatch(d, 2);
    const shifted = tf.add(batch.insampleY, 7) as tf.Tensor3D;
    const y1 = net.forward(batch, { training: false });
    const y2 = net.forward({ ...batch, insampleY: shifted }, { training: false });
    const diff = Array.from(tf.sub(y2, y1).dataSync());
    diff.forEach((v) => expect(v).toBeCloseTo(7, 4));
    tf.dispose([shifted, y1, y2]);
    disposeBatch(batch);
    net.dispose();
  });

  it('TiDE with layernorm and one output reduces to the global skip plus a constant (reference behaviour)', () => {
    const d = dims({ h: 3, inputSize: 5, futrExogSize: 2 });
    const config = MODELS.tide.configSchema.parse({
      hidden_size: 8,
      decoder_output_dim: 2,
      temporal_decoder_dim: 4,
    });
    const net = MODELS.tide.build(config, d, 1);
    const a = randomBatch(d, 2, 1);
    const b = randomBatch(d, 2, 9);
    const y1 = net.forward(a, { training: false });
    const y2 = net.forward({ ...a, futrExog: b.futrExog }, { training: false });
    expect(Array.from(y1.dataSync())).toEqual(Array.from(y2.dataSync()));
    tf.dispose([y1, y2]);
    disposeBatch(a);
    disposeBatch(b);
    net.dispose();
  });

  it('dropout acts only in training, with masks reproducible from the step seed', () => {
    const d = dims({ h: 4, inputSize: 8 });
    const cases = [
      ['nhits', { mlp_units: [[16, 16]], dropout_prob_theta: 0.5 }],
      ['nbeatsx', { mlp_units: [[16, 16]], dropout_prob_theta: 0.5 }],
      [
        'tide',
        { hidden_size: 16, decoder_output_dim: 4, temporal_decoder_dim: 8, dropout: 0.5, layernorm: false },
      ],
    ] as const;
    for (const [id, overrides] of cases) {
      const spec = MODELS[id];
      // Each spec parses its own overrides; the cast widens the union of config types for the call.
      const net = (spec.build as (c: unknown, d: ModelDims, s: number) => ReturnType<typeof spec.build>)(
        spec.configSchema.parse(overrides),
        d,
        3,
      );
      const batch = randomBatch(d, 4);
      const read = (options: { training: boolean; seed?: number }): number[] => {
        const y = net.forward(batch, options);
        const values = Array.from(y.dataSync());
        y.dispose();
        return values;
      };
      expect(read({ training: false }), id).toEqual(read({ training: false }));
      expect(read({ training: true, seed: 5 }), id).toEqual(read({ training: true, seed: 5 }));
      expect(read({ training: true, seed: 5 }), id).not.toEqual(read({ training: true, seed: 6 }));
      expect(read({ training: true, seed: 5 }), id).not.toEqual(read({ training: false }));
      // Without a step seed the masks come from the network's own seeded stream: a twin build repeats them.
      const twin = (spec.build as (c: unknown, d: ModelDims, s: number) => ReturnType<typeof spec.build>)(
        spec.configSchema.parse(overrides),
        d,
        3,
      );
      const unseeded = [net, twin].map((n) => {
        const y = n.forward(batch, { training: true });
        const values = Array.from(y.dataSync());
        y.dispose();
        return values;
      });
      expect(unseeded[0], id).toEqual(unseeded[1]);
      twin.dispose();
      disposeBatch(batch);
      net.dispose();
    }
  });
});
