import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import { createLoss, gammaDraw, lgamma, lgammaNumber, poissonDraw } from '../src/losses/index.js';
import { disposeInputs, inputs, take } from './losses-helpers.js';

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

const softplus = (x: number) => Math.log1p(Math.exp(x));
/** Raw output whose softplus is v. */
const invSoftplus = (v: number) => Math.log(Math.expm1(v));

/** NLL of one step: y, raw outputs [K], window loc / scale. */
function nll(spec: Record<string, unknown>, y: number, raw: number[], loc = 0, scale = 1): number {
  const loss = createLoss({ id: 'distributionloss', ...spec });
  const i = inputs({
    y: [[y]],
    yHat: [[raw]],
    scale: { loc: tf.tensor3d([[[loc]]]), scale: tf.tensor3d([[[scale]]]) },
  });
  try {
    return take(loss.compute(i));
  } finally {
    disposeInputs(i);
  }
}

describe('lgamma', () => {
  it('matches known values', () => {
    const known: [number, number][] = [
      [0.5, Math.log(Math.sqrt(Math.PI))],
      [1, 0],
      [2.5, Math.log(0.75 * Math.sqrt(Math.PI))],
      [5, Math.log(24)],
      [0.01, 4.5994798780420219],
      [100, 359.1342053695754],
    ];
    for (const [x, v] of known) expect(lgammaNumber(x)).toBeCloseTo(v, 9);
    const t = tf.tensor1d(known.map(([x]) => x));
    const out = lgamma(t);
    Array.from(out.dataSync()).forEach((v, k) => expect(v).toBeCloseTo((known[k] as [number, number])[1], 3));
    tf.dispose([t, out]);
  });
});

describe('negative log-likelihood at known parameters', () => {
  it('Normal: mean = raw * scale + loc, std = (softplus + 0.2) * scale', () => {
    const mean = 0.5 * 2 + 10;
    const std = (softplus(0.3) + 0.2) * 2;
    const z = (12.5 - mean) / std;
    expect(nll({ distribution: 'Normal' }, 12.5, [0.5, 0.3], 10, 2)).toBeCloseTo(
      0.5 * z * z + Math.log(std) + 0.5 * Math.log(2 * Math.PI),
      5,
    );
  });

  it('StudentT: df = 3 + softplus, scale = (softplus + 0.1) * scale', () => {
    // df = 4, loc = 1, scale = 1.1: log p = lgamma(2.5) - lgamma(2) - log(scale) - log(4 pi)/2 - 2.5 log1p(z^2 / 4).
    const scale = 1 + 0.1;
    const z = (2 - 1) / scale;
    const logp =
      Math.log(0.75 * Math.sqrt(Math.PI)) -
      0 -
      Math.log(scale) -
      0.5 * Math.log(4 * Math.PI) -
      2.5 * Math.log1p((z * z) / 4);
    expect(nll({ distribution: 'StudentT' }, 2, [invSoftplus(1), 1, invSoftplus(1)])).toBeCloseTo(-logp, 4);
  });

  it('Poisson: rate = softplus(raw * scale + loc)', () => {
    // rate 2, y 3: -log p = -(3 log 2 - 2 - log 6).
    expect(nll({ distribution: 'Poisson' }, 3, [invSoftplus(2)])).toBeCloseTo(
      -(3 * Math.log(2) - 2 - Math.log(6)),
      4,
    );
    // Anchored: raw 0.5 * scale 2 + loc 1 = 2 before the softplus.
    const rate = softplus(2);
    expect(nll({ distribution: 'Poisson' }, 1, [0.5], 1, 2)).toBeCloseTo(-(Math.log(rate) - rate), 4);
  });

  it('NegativeBinomial: mu 3, alpha 1 / (scale + 1) -> total_count 2, probs 0.6', () => {
    // log p(1) = lgamma(3) - lgamma(2) - lgamma(2) + 2 log(0.4) + log(0.6).
    const logp = Math.log(2) + 2 * Math.log(0.4) + Math.log(0.6);
    expect(nll({ distribution: 'NegativeBinomial' }, 1, [invSoftplus(3), invSoftplus(1)])).toBeCloseTo(
      -logp,
      4,
    );
  });

  it('masked mean: divides by the mask sum, at least 1', () => {
    const loss = createLoss({ id: 'distributionloss', distribution: 'Normal' });
    const single = nll({ distribution: 'Normal' }, 1, [0, 0]);
    const i = inputs({
      y: [[1, Number.NaN, 1]],
      yHat: [
        [
          [0, 0],
          [5, 5],
          [0, 0],
        ],
      ],
      mask: [[1, 0, 1]],
    });
    expect(take(loss.compute(i))).toBeCloseTo(single, 5);
    disposeInputs(i);
    const half = inputs({ y: [[1]], yHat: [[[0, 0]]], mask: [[0.5]] });
    // sum of weights 0.5 is clamped to 1 (NeuralForecast's weighted_average).
    expect(take(loss.compute(half))).toBeCloseTo(single * 0.5, 5);
    disposeInputs(half);
  });

  it('gradients are finite for every family, with NaN under the mask', () => {
    const raws: Record<string, number[]> = {
      Normal: [0.1, 0.2],
      StudentT: [0.1, 0.2, 0.3],
      Poisson: [0.4],
      NegativeBinomial: [0.5, -0.5],
    };
    for (const [distribution, raw] of Object.entries(raws)) {
      const loss = createLoss({ id: 'distributionloss', distribution });
      const i = inputs({ y: [[2, Number.NaN]], yHat: [[raw, raw]], mask: [[1, 0]] });
      const { value, grad } = tf.valueAndGrad((p: tf.Tensor) =>
        loss.compute({ ...i, yHat: p as tf.Tensor3D }),
      )(i.yHat);
      expect(Number.isFinite(value.dataSync()[0]), distribution).toBe(true);
      expect(Array.from(grad.dataSync()).every(Number.isFinite), distribution).toBe(true);
      tf.dispose([value, grad]);
      disposeInputs(i);
    }
  });
});

describe('forecast: sampled mean and quantiles', () => {
  /** Forecast of one step from raw outputs. */
  function forecast(spec: Record<string, unknown>, raw: number[], seed = 7, loc = 0, scale = 1): number[] {
    const loss = createLoss({ id: 'distributionloss', ...spec });
    const yHat = tf.tensor3d([[raw]]);
    const ws = { loc: tf.tensor3d([[[loc]]]), scale: tf.tensor3d([[[scale]]]) };
    const out = loss.forecast(yHat, ws, { seed });
    const values = Array.from(out.dataSync());
    tf.dispose([yHat, ws.loc, ws.scale, out]);
    return values;
  }

  it('columns are the mean then NeuralForecast-named quantiles', () => {
    const loss = createLoss({ id: 'distributionloss', distribution: 'Normal', level: [80, 90] });
    expect(loss.outputSize).toBe(2);
    expect(loss.outputNames).toEqual(['', '-median', '-lo-90', '-lo-80', '-hi-80', '-hi-90']);
    expect(loss.pointIndex).toBe(0);
    expect(loss.isDistribution).toBe(true);
    const byQuantiles = createLoss({
      id: 'distributionloss',
      distribution: 'Poisson',
      quantiles: [0.9, 0.1, 0.5],
    });
    expect(byQuantiles.outputNames).toEqual(['', '-lo-80.0', '-median', '-hi-80.0']);
    expect(forecast({ distribution: 'Normal' }, [0, 0]).length).toBe(6);
  });

  it('Normal quantiles converge to loc + z * std', () => {
    const std = (softplus(1) + 0.2) * 3;
    const [mean, median, lo90, lo80, hi80, hi90] = forecast(
      { distribution: 'Normal', num_samples: 20000 },
      [1, 1],
      7,
      5,
      3,
    ) as number[];
    const loc = 1 * 3 + 5;
    expect(Math.abs((mean as number) - loc)).toBeLessThan(0.05 * std);
    expect(Math.abs((median as number) - loc)).toBeLessThan(0.05 * std);
    expect(Math.abs((lo90 as number) - (loc - 1.6448536 * std))).toBeLessThan(0.06 * std);
    expect(Math.abs((lo80 as number) - (loc - 1.2815516 * std))).toBeLessThan(0.06 * std);
    expect(Math.abs((hi80 as number) - (loc + 1.2815516 * std))).toBeLessThan(0.06 * std);
    expect(Math.abs((hi90 as number) - (loc + 1.6448536 * std))).toBeLessThan(0.06 * std);
  });

  it('StudentT(df 4) quantiles converge to the t quantiles', () => {
    // t_4: 0.9 -> 1.5332, 0.95 -> 2.1318; loc 0, scale 1.1.
    const [, median, lo90, , hi80, hi90] = forecast({ distribution: 'StudentT', num_samples: 20000 }, [
      invSoftplus(1),
      0,
      invSoftplus(1),
    ]) as number[];
    expect(Math.abs(median as number)).toBeLessThan(0.05);
    // Tolerances are about 4 standard errors of an empirical quantile from 20000 draws.
    expect(Math.abs((hi80 as number) - 1.5332 * 1.1)).toBeLessThan(0.08);
    expect(Math.abs((hi90 as number) - 2.1318 * 1.1)).toBeLessThan(0.13);
    expect(Math.abs((lo90 as number) + 2.1318 * 1.1)).toBeLessThan(0.13);
  });

  it('Poisson quantiles are the exact integer quantiles and the mean the rate', () => {
    for (const rate of [3, 40]) {
      const [mean, median, lo90, , , hi90] = forecast({ distribution: 'Poisson', num_samples: 20000 }, [
        invSoftplus(rate),
      ]) as number[];
      expect(Math.abs((mean as number) - rate)).toBeLessThan(0.05 * rate);
      // Exact quantiles from the CDF.
      const quantile = (p: number) => {
        let k = 0;
        let term = Math.exp(-rate);
        let cdf = term;
        while (cdf < p) {
          k += 1;
          term *= rate / k;
          cdf += term;
        }
        return k;
      };
      expect(Math.abs((median as number) - quantile(0.5))).toBeLessThanOrEqual(1);
      expect(Math.abs((lo90 as number) - quantile(0.05))).toBeLessThanOrEqual(1);
      expect(Math.abs((hi90 as number) - quantile(0.95))).toBeLessThanOrEqual(1);
    }
  });

  it('NegativeBinomial sample mean and variance match r p / (1 - p) and mean / (1 - p)', () => {
    // mu 3, total_count 2, probs 0.6: mean 3, variance 7.5.
    const rng = new Rng(3);
    const loss = createLoss({ id: 'distributionloss', distribution: 'NegativeBinomial', num_samples: 20000 });
    const [mean] = forecast({ distribution: 'NegativeBinomial', num_samples: 20000 }, [
      invSoftplus(3),
      invSoftplus(1),
    ]);
    expect(Math.abs((mean as number) - 3)).toBeLessThan(0.1);
    expect(loss.outputSize).toBe(2);
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let k = 0; k < n; k += 1) {
      const d = poissonDraw(rng, gammaDraw(rng, 2) * (0.6 / 0.4));
      sum += d;
      sq += d * d;
    }
    expect(sq / n - (sum / n) ** 2).toBeGreaterThan(6.5);
    expect(sq / n - (sum / n) ** 2).toBeLessThan(8.5);
  });

  it('the same seed gives the same forecast; another seed a different one', () => {
    const a = forecast({ distribution: 'Normal', num_samples: 200 }, [0.2, 0.1], 11);
    const b = forecast({ distribution: 'Normal', num_samples: 200 }, [0.2, 0.1], 11);
    const c = forecast({ distribution: 'Normal', num_samples: 200 }, [0.2, 0.1], 12);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('analytic mean follows the scale decoupling', () => {
    const loss = createLoss({ id: 'distributionloss', distribution: 'NegativeBinomial' });
    const yHat = tf.tensor3d([[[invSoftplus(3), invSoftplus(1)]]]);
    const ws = { loc: tf.tensor3d([[[0]]]), scale: tf.tensor3d([[[1]]]) };
    const m = loss.mean?.(yHat, ws);
    expect(m?.dataSync()[0]).toBeCloseTo(3, 4);
    tf.dispose([yHat, ws.loc, ws.scale, ...(m ? [m] : [])]);
  });
});

describe('sampler', () => {
  it('gamma draws have mean k and variance k for small and large shapes', () => {
    for (const k of [0.4, 2.5, 30]) {
      const rng = new Rng(1);
      const n = 20000;
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i += 1) {
        const d = gammaDraw(rng, k);
        sum += d;
        sq += d * d;
      }
      const mean = sum / n;
      expect(Math.abs(mean - k)).toBeLessThan(0.05 * k + 0.02);
      expect(Math.abs(sq / n - mean * mean - k)).toBeLessThan(0.1 * k + 0.03);
    }
  });
});
