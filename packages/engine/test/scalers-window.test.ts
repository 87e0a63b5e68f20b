import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ConfigError } from '@nflab/contracts';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  WINDOW_SCALER_TYPES,
  createRevinParams,
  disposeWindowStats,
  maskedMedian,
  toWindowScale,
  windowScaler,
} from '../src/scalers/index.js';

const EPS = 1e-6;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** [B, L, 1] tensor from rows. */
function t3(rows: number[][]): tf.Tensor3D {
  return tf.tensor3d(rows.map((r) => r.map((v) => [v])));
}

/** Reads [B, 1, 1] statistics as numbers. */
function read(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

// Window 0: last step masked out (its 10 must not count). Window 1: constant (zero spread).
const X = [
  [1, 2, 3, 10],
  [4, 4, 4, 4],
];
const MASK = [
  [1, 1, 1, 0],
  [1, 1, 1, 1],
];

function statsOf(type: (typeof WINDOW_SCALER_TYPES)[number], rows = X, maskRows = MASK) {
  const x = t3(rows);
  const mask = t3(maskRows);
  const stats = windowScaler(type).stats(x, mask);
  const out = { loc: read(stats.loc), scale: read(stats.scale) };
  disposeWindowStats(stats);
  tf.dispose([x, mask]);
  return out;
}

describe('window scaler statistics (hand-computed)', () => {
  it('identity is loc 0, scale 1', () => {
    expect(statsOf('identity')).toEqual({ loc: [0, 0], scale: [1, 1] });
  });

  it('standard: masked mean and population std + eps; zero std becomes 1 + eps', () => {
    const { loc, scale } = statsOf('standard');
    expect(loc[0]).toBeCloseTo(2, 6);
    expect(scale[0]).toBeCloseTo(Math.sqrt(2 / 3) + EPS, 6);
    expect(loc[1]).toBeCloseTo(4, 6);
    expect(scale[1]).toBeCloseTo(1 + EPS, 6);
  });

  it('robust: lower median and MAD over observed values', () => {
    // [1, 2, 3 | 10 masked] -> median 2, |dev| = [1, 0, 1] -> MAD 1.
    const { loc, scale } = statsOf('robust');
    expect(loc[0]).toBeCloseTo(2, 6);
    expect(scale[0]).toBeCloseTo(1 + EPS, 6);
    expect(loc[1]).toBeCloseTo(4, 6);
    expect(scale[1]).toBeCloseTo(1 + EPS, 6);
  });

  it('robust: an even count takes the lower middle value, as torch.nanmedian', () => {
    // [1, 2, 3, 4] -> lower median 2; |dev| sorted [0, 1, 1, 2] -> lower median 1.
    const { loc, scale } = statsOf('robust', [[4, 1, 3, 2]], [[1, 1, 1, 1]]);
    expect(loc[0]).toBeCloseTo(2, 6);
    expect(scale[0]).toBeCloseTo(1 + EPS, 6);
  });

  it('robust: MAD 0 falls back to 0.6745 * std', () => {
    // [0, 0, 0, 5]: median 0, MAD 0; std = sqrt(((3 * 1.25^2) + 3.75^2) / 4).
    const std = Math.sqrt((3 * 1.25 ** 2 + 3.75 ** 2) / 4);
    const { loc, scale } = statsOf('robust', [[0, 0, 0, 5]], [[1, 1, 1, 1]]);
    expect(loc[0]).toBeCloseTo(0, 6);
    expect(scale[0]).toBeCloseTo(std * 0.6744897501960817 + EPS, 5);
  });

  it('minmax and minmax1: min and range over observed values', () => {
    for (const type of ['minmax', 'minmax1'] as const) {
      const { loc, scale } = statsOf(type);
      expect(loc[0]).toBeCloseTo(1, 6);
      expect(scale[0]).toBeCloseTo(2 + EPS, 6);
      expect(loc[1]).toBeCloseTo(4, 6);
      expect(scale[1]).toBeCloseTo(1 + EPS, 6);
    }
  });

  it('a window with no observed value gets loc 0 and scale 1 + eps', () => {
    for (const type of ['standard', 'robust', 'minmax'] as const) {
      const { loc, scale } = statsOf(type, [[5, 6]], [[0, 0]]);
      expect(loc[0]).toBeCloseTo(0, 6);
      expect(scale[0]).toBeCloseTo(1 + EPS, 6);
    }
  });

  it('masked values never change the statistics, whatever they hold', () => {
    const a = statsOf('robust', [[1, 2, 3, 1e6]], [[1, 1, 1, 0]]);
    const b = statsOf('robust', [[1, 2, 3, -7]], [[1, 1, 1, 0]]);
    expect(a).toEqual(b);
  });

  it('computes per channel with a [B, L, 1] mask broadcast over C', () => {
    const x = tf.tensor3d([
      [
        [1, 10],
        [3, 30],
        [100, 100],
      ],
    ]); // [1, 3, 2]
    const mask = tf.tensor3d([[[1], [1], [0]]]); // [1, 3, 1]
    const stats = windowScaler('standard').stats(x, mask);
    expect(read(stats.loc)).toEqual([2, 20]);
    disposeWindowStats(stats);
    tf.dispose([x, mask]);
  });

  it('maskedMedian of an odd count is the middle value', () => {
    const x = t3([[9, 1, 5]]);
    const mask = t3([[1, 1, 1]]);
    const m = maskedMedian(x, mask);
    expect(read(m)).toEqual([5]);
    tf.dispose([x, mask, m]);
  });
});

describe('scale and inverse', () => {
  it('scaled values match the formulas of each scaler', () => {
    const cases: Record<string, (v: number) => number> = {
      identity: (v) => v,
      standard: (v) => (v - 2) / (Math.sqrt(2 / 3) + EPS),
      robust: (v) => (v - 2) / (1 + EPS),
      minmax: (v) => (v - 1) / (2 + EPS),
      minmax1: (v) => ((v - 1) / (2 + EPS)) * 2 - 1,
      invariant: (v) => Math.asinh((v - 2) / (1 + EPS)),
    };
    for (const [type, f] of Object.entries(cases)) {
      const scaler = windowScaler(type as keyof typeof cases & (typeof WINDOW_SCALER_TYPES)[number]);
      const x = t3([X[0] as number[]]);
      const mask = t3([MASK[0] as number[]]);
      const stats = scaler.stats(x, mask);
      const z = scaler.scale(x, stats);
      const got = read(z);
      (X[0] as number[]).forEach((v, i) => expect(got[i], `${type}[${i}]`).toBeCloseTo(f(v), 5));
      disposeWindowStats(stats);
      tf.dispose([x, mask, z]);
    }
  });

  it('inverse(scale(x)) returns x within 1e-6 relative for every scaler (RevIN within its eps)', () => {
    const revin = createRevinParams(1);
    const rows = [
      [0.5, -2, 3.25, 7, 1],
      [100, 101, 99, 100.5, 98],
    ];
    const maskRows = [
      [1, 1, 0, 1, 1],
      [1, 1, 1, 1, 0],
    ];
    for (const type of WINDOW_SCALER_TYPES) {
      const scaler = windowScaler(type, { revin });
      const x = t3(rows);
      const mask = t3(maskRows);
      const stats = scaler.stats(x, mask);
      const z = scaler.scale(x, stats);
      const back = scaler.inverse(z, stats);
      const got = read(back);
      // RevIN inverts with scale * (relu(1) + eps), so its round trip is off by eps (NeuralForecast's design).
      const tolerance = type === 'revin' ? 1e-5 : 1e-6;
      rows
        .flat()
        .forEach((v, i) =>
          expect(Math.abs((got[i] as number) - v), `${type}[${i}]`).toBeLessThan(
            tolerance * Math.max(1, Math.abs(v)),
          ),
        );
      disposeWindowStats(stats);
      tf.dispose([x, mask, z, back]);
    }
    tf.dispose([revin.weight, revin.bias]);
  });

  it('revin: loc gets the bias and scale gets relu(weight) + eps; inputs use the plain statistics', () => {
    const revin = createRevinParams(1);
    const w = tf.tensor3d([[[2]]]);
    const b = tf.tensor3d([[[0.5]]]);
    revin.weight.assign(w);
    revin.bias.assign(b);
    tf.dispose([w, b]);
    const scaler = windowScaler('revin', { revin });
    const x = t3([[1, 3]]);
    const mask = t3([[1, 1]]);
    const stats = scaler.stats(x, mask);
    expect(read(stats.loc)[0]).toBeCloseTo(2.5, 6);
    expect(read(stats.scale)[0]).toBeCloseTo((1 + EPS) * (2 + EPS), 6);
    const z = scaler.scale(x, stats);
    expect(read(z)[0]).toBeCloseTo(-1 / (1 + EPS), 6);
    disposeWindowStats(stats);
    tf.dispose([x, mask, z, revin.weight, revin.bias]);
  });

  it('revin: gradients reach weight and bias through the inverse', () => {
    const revin = createRevinParams(1);
    const scaler = windowScaler('revin', { revin });
    const x = t3([[1, 3, 5]]);
    const mask = t3([[1, 1, 1]]);
    const { grads, value } = tf.variableGrads(() => {
      const stats = scaler.stats(x, mask);
      const out = scaler.inverse(tf.ones([1, 2, 1]), stats);
      return tf.sum(out) as tf.Scalar;
    }, [revin.weight, revin.bias]);
    // d/d bias of sum(1 * scale + loc) over 2 steps = 2; d/d weight = 2 * std (relu' = 1 at 1).
    expect(read(grads[revin.bias.name] as tf.Tensor)[0]).toBeCloseTo(2, 5);
    expect(read(grads[revin.weight.name] as tf.Tensor)[0]).toBeCloseTo(2 * (Math.sqrt(8 / 3) + EPS), 4);
    tf.dispose([value, ...Object.values(grads), x, mask, revin.weight, revin.bias]);
  });

  it('toWindowScale slices the target channel and keeps the scaler type', () => {
    const x = tf.tensor3d([
      [
        [1, 10],
        [3, 30],
      ],
    ]);
    const mask = tf.ones([1, 2, 1]) as tf.Tensor3D;
    const stats = windowScaler('minmax1').stats(x, mask);
    const ws = toWindowScale(stats, 'minmax1', 1);
    expect(ws.loc.shape).toEqual([1, 1, 1]);
    expect(read(ws.loc)).toEqual([10]);
    expect(ws.type).toBe('minmax1');
    disposeWindowStats(stats);
    tf.dispose([x, mask, ws.loc, ws.scale]);
  });
});

describe('configuration errors', () => {
  it('rejects unknown types and revin without parameters with ConfigError', () => {
    expect(() => windowScaler('zscore' as never)).toThrow(ConfigError);
    expect(() => windowScaler('zscore' as never)).toThrow(
      /scaler_type 'zscore'.*allowed: identity, standard/,
    );
    expect(() => windowScaler('revin')).toThrow(/revin/);
  });
});

describe('RevIN parameters', () => {
  it('two sets without a prefix coexist; a prefix names them', () => {
    const a = createRevinParams(2);
    const b = createRevinParams(2);
    const named = createRevinParams(1, 'unit_revin');
    expect(a.weight.name).not.toBe(b.weight.name);
    expect(named.weight.name).toBe('unit_revin_weight');
    expect(named.bias.name).toBe('unit_revin_bias');
    expect(a.weight.shape).toEqual([1, 1, 2]);
    expect(Array.from(a.weight.dataSync())).toEqual([1, 1]);
    expect(Array.from(a.bias.dataSync())).toEqual([0, 0]);
    tf.dispose([a.weight, a.bias, b.weight, b.bias, named.weight, named.bias]);
  });

  it('rejects a bad feature count', () => {
    expect(() => createRevinParams(0)).toThrow(ConfigError);
  });
});
