import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../src/models/registry.js';
import {
  bSplineBasis,
  bSplineBasisAt,
  interiorPseudoInverse,
  uniformKnots,
} from '../src/models/kan/bspline.js';
import { createKanLinear } from '../src/models/kan/kan-linear.js';
import { countParameters, createParamStore } from '../src/nn/params.js';
import { dims, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

/** The tensor basis at the points `xs` of a single input feature, as plain rows. */
const basisRows = (xs: number[], knots: number[], order: number): number[][] => {
  const t = bSplineBasis(tf.tensor2d(xs, [xs.length, 1]), knots, order);
  const rows = (t.arraySync() as number[][][]).map((r) => r[0] as number[]);
  t.dispose();
  return rows;
};

const expectRows = (actual: number[][], expected: number[][]): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 6)));
};

describe('KAN B-spline basis (Cox–de Boor)', () => {
  it('builds NeuralForecast’s extended uniform grid', () => {
    // grid_size 2, order 2, range [-1, 1]: step 1, two extra knots each side.
    expect(uniformKnots(2, 2, [-1, 1])).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(uniformKnots(5, 3, [-1, 1])).toHaveLength(5 + 2 * 3 + 1);
  });

  it('matches hand-computed linear (hat) and quadratic values', () => {
    // Order 1, knots [-2,-1,0,1,2]: hats centred at -1, 0, 1. At 0.25: 0, 0.75, 0.25.
    expectRows(basisRows([0.25, -1], [-2, -1, 0, 1, 2], 1), [
      [0, 0.75, 0.25],
      [1, 0, 0],
    ]);
    // Order 2 on unit knots, local u in [0,1): (1-u)²/2, (1+2u-2u²)/2, u²/2.
    // x = 0.5 (u = 0.5 in [0,1)): B1..B3 = 1/8, 3/4, 1/8; x = 0.25: 9/32, 11/16, 1/32;
    // x = -1 (u = 0 in [-1,0)): B0, B1 = 1/2, 1/2.
    const knots = uniformKnots(2, 2, [-1, 1]);
    const expected = [
      [0, 0.125, 0.75, 0.125],
      [0, 9 / 32, 11 / 16, 1 / 32],
      [0.5, 0.5, 0, 0],
    ];
    expectRows(basisRows([0.5, 0.25, -1], knots, 2), expected);
    expectRows(
      [0.5, 0.25, -1].map((x) => bSplineBasisAt(x, knots, 2)),
      expected,
    );
  });

  it('sums to one inside the grid and vanishes outside the extended knots', () => {
    const knots = uniformKnots(5, 3, [-1, 1]);
    const xs = Array.from({ length: 41 }, (_, i) => -1 + i * 0.0499);
    for (const row of basisRows(xs, knots, 3)) {
      expect(row).toHaveLength(8);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (const v of row) expect(v).toBeGreaterThanOrEqual(-1e-7);
    }
    // Beyond the last knot every basis function is zero, as in NeuralForecast (only SiLU remains).
    expect(basisRows([5], knots, 3)[0]!.every((v) => v === 0)).toBe(true);
  });

  it('the initialisation pseudo-inverse fits the interior knots exactly (A·A⁺ = I)', () => {
    const [G, K] = [3, 2];
    const knots = uniformKnots(G, K, [-1, 1]);
    const pinv = interiorPseudoInverse(knots, G, K); // [G+K][G+1]
    const A = Array.from({ length: G + 1 }, (_, j) => bSplineBasisAt(knots[K + j]!, knots, K));
    A.forEach((row, i) =>
      A.forEach((_, j) => {
        const v = row.reduce((s, a, c) => s + a * pinv[c]![j]!, 0);
        expect(v).toBeCloseTo(i === j ? 1 : 0, 10);
      }),
    );
  });
});

describe('KANLinear and KAN', () => {
  it('is SiLU(x)·W_base when the spline scaler is zero', () => {
    const store = createParamStore('kan', 1);
    const layer = createKanLinear(store, {
      path: 'layer_0',
      inFeatures: 2,
      outFeatures: 1,
      gridSize: 3,
      splineOrder: 2,
      scaleNoise: 0.1,
      scaleBase: 1,
      scaleSpline: 1,
      gridRange: [-1, 1],
    });
    layer.baseWeight.assign(tf.tensor2d([[1], [2]]));
    layer.splineScaler.assign(tf.zeros([2, 1]));
    const silu = (v: number): number => v / (1 + Math.exp(-v));
    const y = layer.apply(tf.tensor2d([[0.5, -0.3]]));
    expect(y.dataSync()[0]).toBeCloseTo(silu(0.5) + 2 * silu(-0.3), 5);
    store.dispose();
  });

  it("draws the base weight and the spline scaler as PyTorch's kaiming_uniform_(a = √5·scale), the coefficients from noise of scale_noise / grid_size", () => {
    // kaiming_uniform_ bound: √(2 / (1 + a²)) · √(3 / fan_in); a = √5 gives 1/√fan_in, a = 2√5 gives √(6/21)/√fan_in.
    for (const [scale, bound] of [
      [1, 1 / Math.sqrt(64)],
      [2, Math.sqrt(6 / 21) / Math.sqrt(64)],
    ] as const) {
      const store = createParamStore('kan', 3);
      const layer = createKanLinear(store, {
        path: 'layer_0',
        inFeatures: 64,
        outFeatures: 32,
        gridSize: 5,
        splineOrder: 3,
        scaleNoise: 0.1,
        scaleBase: scale,
        scaleSpline: scale,
        gridRange: [-1, 1],
      });
      for (const weight of [layer.baseWeight, layer.splineScaler]) {
        const magnitudes = Array.from(weight.dataSync(), Math.abs);
        expect(Math.max(...magnitudes)).toBeLessThanOrEqual(bound);
        expect(Math.max(...magnitudes)).toBeGreaterThan(0.95 * bound);
      }
      // Noise U(−½, ½)·0.1/5 at the 6 interior knots, fitted by the minimum-norm coefficients: never
      // above the noise's own bound of 0.01 by more than the fit's gain, and not vanishing.
      const coefficients = Array.from(layer.splineWeight.dataSync(), Math.abs);
      expect(Math.max(...coefficients)).toBeLessThan(0.05);
      expect(Math.max(...coefficients)).toBeGreaterThan(0.005);
      store.dispose();
    }
  });

  it('has NeuralForecast’s parameter count (h=12, input_size=24, defaults)', () => {
    // Per layer in·out·(1 base + (grid 5 + order 3) spline + 1 scaler), no bias:
    // 24·512·10 = 122_880 and 512·12·10 = 61_440.
    const spec = MODELS.kan;
    const net = spec.build(spec.configSchema.parse({}), dims({ h: 12, inputSize: 24 }), 1);
    expect(countParameters(net.variables)).toBe(184_320);
    net.dispose();
  });

  it('takes per-layer hidden sizes and rejects a list of the wrong length', () => {
    expect(MODELS.kan.configSchema.safeParse({ n_hidden_layers: 2, hidden_size: [8, 4] }).success).toBe(true);
    expect(MODELS.kan.configSchema.safeParse({ n_hidden_layers: 1, hidden_size: [8, 4] }).success).toBe(
      false,
    );
  });
});
