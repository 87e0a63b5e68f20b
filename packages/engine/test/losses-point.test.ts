import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLoss } from '../src/losses/index.js';
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

/** Computes a loss on fresh inputs and frees everything. */
function lossValue(spec: unknown, data: Parameters<typeof inputs>[0]): number {
  const loss = createLoss(spec);
  const i = inputs(data);
  const mapped = loss.domainMap(i.yHat);
  try {
    return take(loss.compute({ ...i, yHat: mapped }));
  } finally {
    mapped.dispose();
    disposeInputs(i);
  }
}

// Two windows, H = 3; the last step of window 1 is masked (its huge error must not count).
const Y = [
  [1, 2, 3],
  [4, 0, 6],
];
const YHAT = [
  [2, 2, 1],
  [1, 1, 100],
];
const MASK = [
  [1, 1, 1],
  [1, 1, 0],
];
const DATA = { y: Y, yHat: YHAT, mask: MASK };
// Observed errors y - yHat: -1, 0, 2, 3, -1 (5 points).

describe('point losses (hand-computed)', () => {
  it('mae', () => {
    expect(lossValue('mae', DATA)).toBeCloseTo((1 + 0 + 2 + 3 + 1) / 5, 6);
  });

  it('mse', () => {
    expect(lossValue('mse', DATA)).toBeCloseTo((1 + 0 + 4 + 9 + 1) / 5, 6);
  });

  it('rmse', () => {
    expect(lossValue('rmse', DATA)).toBeCloseTo(Math.sqrt(15 / 5), 6);
  });

  it('mape: |e| / |y|, a zero target contributes 0', () => {
    expect(lossValue('mape', DATA)).toBeCloseTo((1 / 1 + 0 / 2 + 2 / 3 + 3 / 4 + 0) / 5, 6);
  });

  it('smape: 2 * mean |e| / (|y| + |y_hat|)', () => {
    expect(lossValue('smape', DATA)).toBeCloseTo((2 * (1 / 3 + 0 / 4 + 2 / 4 + 3 / 5 + 1 / 1)) / 5, 6);
  });

  it('smape: 0 / 0 counts as 0', () => {
    expect(lossValue('smape', { y: [[0]], yHat: [[0]] })).toBe(0);
  });

  it('mase: errors over the seasonal-naive MAE of each input window', () => {
    // Window 0 insample [1, 3, 2] -> |diffs| 2, 1 -> 1.5; window 1 [0, 4, 0] -> 4, 4 -> 4.
    const value = lossValue(
      { id: 'mase', seasonality: 1 },
      {
        ...DATA,
        insample: [
          [1, 3, 2],
          [0, 4, 0],
        ],
      },
    );
    expect(value).toBeCloseTo((1 / 1.5 + 0 + 2 / 1.5 + 3 / 4 + 1 / 4) / 5, 6);
  });

  it('mase: seasonality 2 compares steps two apart', () => {
    // [1, 3, 2, 5] -> |2 - 1|, |5 - 3| -> 1.5.
    const value = lossValue(
      { id: 'mase', seasonality: 2 },
      { y: [[4]], yHat: [[1]], insample: [[1, 3, 2, 5]] },
    );
    expect(value).toBeCloseTo(3 / 1.5, 6);
  });

  it('mase: seasonality not below input_size is a ConfigError', () => {
    expect(() =>
      lossValue(
        { id: 'mase', seasonality: 3 },
        {
          ...DATA,
          insample: [
            [1, 2, 3],
            [1, 2, 3],
          ],
        },
      ),
    ).toThrow(/seasonality 3 must be smaller than input_size 3/);
  });

  it('relmse: MSE over the MSE of the naive benchmark (last input value)', () => {
    // Benchmarks: window 0 repeats 2 -> sq errors 1, 0, 1; window 1 repeats 0 -> 16, 0 (third masked).
    const value = lossValue('relmse', {
      ...DATA,
      insample: [
        [1, 3, 2],
        [0, 4, 0],
      ],
    });
    expect(value).toBeCloseTo(3 / (18 / 5 + 1e-5), 6);
  });

  it('relmse: seasonal benchmark repeats the last season', () => {
    // insample [1, 2, 3, 4], s = 2 -> benchmark for H = 3: 3, 4, 3.
    const value = lossValue(
      { id: 'relmse', seasonality: 2 },
      { y: [[3, 5, 3]], yHat: [[3, 4, 3]], insample: [[1, 2, 3, 4]] },
    );
    expect(value).toBeCloseTo(1 / 3 / (1 / 3 + 1e-5), 6);
  });

  it('huberloss: quadratic up to delta, linear beyond', () => {
    expect(lossValue('huberloss', DATA)).toBeCloseTo((0.5 + 0 + 1.5 + 2.5 + 0.5) / 5, 6);
    expect(lossValue({ id: 'huberloss', delta: 2 }, DATA)).toBeCloseTo((0.5 + 0 + 2 + 4 + 0.5) / 5, 6);
  });

  it('tukeyloss: biweight of raw errors (normalize false)', () => {
    const c = 2.5;
    const rho = (u: number) => (u <= c ? ((c * c) / 6) * (1 - (1 - (u / c) ** 2) ** 3) : (c * c) / 6);
    const expected = [1, 0, 2, 3, 1].map(rho).reduce((a, b) => a + b, 0) / 5;
    expect(lossValue({ id: 'tukeyloss', c, normalize: false }, DATA)).toBeCloseTo(expected, 5);
  });

  it('tukeyloss: normalize divides by the masked std of y over each horizon + 0.01', () => {
    const c = 4.685;
    const rho = (u: number) => (u <= c ? ((c * c) / 6) * (1 - (1 - (u / c) ** 2) ** 3) : (c * c) / 6);
    const s0 = Math.sqrt(2 / 3) + 0.01; // y [1, 2, 3]
    const s1 = 2 + 0.01; // y [4, 0] (6 masked)
    const expected = (rho(1 / s0) + rho(0) + rho(2 / s0) + rho(3 / s1) + rho(1 / s1)) / 5;
    expect(lossValue('tukeyloss', DATA)).toBeCloseTo(expected, 5);
  });

  it('tukeyloss: a perfect forecast costs 0 and errors beyond c cost c^2 / 6', () => {
    expect(lossValue({ id: 'tukeyloss', normalize: false }, { y: [[1, 2]], yHat: [[1, 2]] })).toBeCloseTo(
      0,
      6,
    );
    expect(lossValue({ id: 'tukeyloss', normalize: false, c: 1 }, { y: [[10]], yHat: [[0]] })).toBeCloseTo(
      1 / 6,
      6,
    );
  });

  it('quantileloss: pinball at q', () => {
    // e = y - y_hat: -1 -> 0.75, 0 -> 0, 2 -> 0.5, 3 -> 0.75, -1 -> 0.75.
    expect(lossValue({ id: 'quantileloss', q: 0.25 }, DATA)).toBeCloseTo(2.75 / 5, 6);
    expect(createLoss({ id: 'quantileloss', q: 0.25 }).outputNames).toEqual(['_ql0.25']);
  });

  it('an all-zero mask gives 0, not NaN', () => {
    expect(
      lossValue('mae', {
        ...DATA,
        mask: [
          [0, 0, 0],
          [0, 0, 0],
        ],
      }),
    ).toBe(0);
  });

  it('gradients are finite and equal the analytic ones', () => {
    const loss = createLoss('mse');
    const i = inputs(DATA);
    const grad = tf.grad((yHat: tf.Tensor) => loss.compute({ ...i, yHat: yHat as tf.Tensor3D }));
    const g = grad(i.yHat);
    // d/dyHat of sum((y - yHat)^2 * m) / 5 = -2 (y - yHat) m / 5.
    const expected = [-1, 0, 2, 3, -1, 0].map((e, k) => (k === 5 ? 0 : (-2 * e) / 5));
    Array.from(g.dataSync()).forEach((v, k) => expect(v).toBeCloseTo(expected[k] as number, 6));
    tf.dispose(g);
    disposeInputs(i);
  });

  it('forecast inverts the window scale (z * scale + loc) and names one column', () => {
    const loss = createLoss('mae');
    expect(loss.outputSize).toBe(1);
    expect(loss.outputNames).toEqual(['']);
    expect(loss.pointIndex).toBe(0);
    const yHat = tf.tensor3d([[[1], [-1]]]);
    const scale = { loc: tf.tensor3d([[[10]]]), scale: tf.tensor3d([[[2]]]) };
    const f = loss.forecast(yHat, scale, { seed: 1 });
    expect(Array.from(f.dataSync())).toEqual([12, 8]);
    tf.dispose([yHat, scale.loc, scale.scale, f]);
  });

  it('forecast uses the exact inverse of non-affine scalers (minmax1, invariant)', () => {
    const loss = createLoss('mae');
    const yHat = tf.tensor3d([[[0], [1]]]);
    const loc = tf.tensor3d([[[10]]]);
    const sc = tf.tensor3d([[[4]]]);
    const m1 = loss.forecast(yHat, { loc, scale: sc, type: 'minmax1' }, { seed: 1 });
    expect(Array.from(m1.dataSync())).toEqual([12, 14]); // ((z + 1) / 2) * 4 + 10
    const inv = loss.forecast(yHat, { loc, scale: sc, type: 'invariant' }, { seed: 1 });
    const got = Array.from(inv.dataSync());
    expect(got[0]).toBeCloseTo(10, 5);
    expect(got[1]).toBeCloseTo(Math.sinh(1) * 4 + 10, 5);
    tf.dispose([yHat, loc, sc, m1, inv]);
  });
});

describe('mqloss', () => {
  it('names and quantiles from level follow NeuralForecast (median first, then ascending)', () => {
    const loss = createLoss({ id: 'mqloss', level: [80, 90] });
    expect(loss.outputSize).toBe(5);
    expect(loss.outputNames).toEqual(['-median', '-lo-90', '-lo-80', '-hi-80', '-hi-90']);
    expect(loss.pointIndex).toBe(0);
  });

  it('names from quantiles keep their order and print levels as Python floats', () => {
    const loss = createLoss({ id: 'mqloss', quantiles: [0.1, 0.5, 0.975] });
    expect(loss.outputNames).toEqual(['-lo-80.0', '-median', '-hi-95.0']);
    expect(loss.pointIndex).toBe(1);
    expect(createLoss({ id: 'mqloss', quantiles: [0.2, 0.45] }).pointIndex).toBe(1);
  });

  it('value: mean over quantiles of the pinball losses, divided by the observed steps', () => {
    const qs = [0.5, 0.1, 0.9];
    const y = [
      [1, 2],
      [3, 9],
    ];
    const mask = [
      [1, 1],
      [1, 0],
    ];
    const yHat = [
      [
        [1.5, 0, 3],
        [2, 1, 2.5],
      ],
      [
        [2, 2.5, 4],
        [0, 0, 0],
      ],
    ];
    let total = 0;
    let observed = 0;
    y.forEach((row, b) =>
      row.forEach((target, h) => {
        if (mask[b]?.[h] !== 1) return;
        observed += 1;
        qs.forEach((q, k) => {
          const pred = yHat[b]?.[h]?.[k] as number;
          total += (q * Math.max(target - pred, 0) + (1 - q) * Math.max(pred - target, 0)) / qs.length;
        });
      }),
    );
    expect(lossValue({ id: 'mqloss', level: [80] }, { y, yHat, mask })).toBeCloseTo(total / observed, 6);
  });

  it('forecast inverts every quantile column with the window scale', () => {
    const loss = createLoss({ id: 'mqloss', level: [80] });
    const yHat = tf.tensor3d([[[0, -1, 1]]]);
    const scale = { loc: tf.tensor3d([[[5]]]), scale: tf.tensor3d([[[2]]]) };
    const f = loss.forecast(yHat, scale, { seed: 0 });
    expect(Array.from(f.dataSync())).toEqual([5, 3, 7]);
    tf.dispose([yHat, scale.loc, scale.scale, f]);
  });
});

describe('masked NaN targets', () => {
  it('never reach values or gradients of any point loss', () => {
    for (const spec of [
      'mae',
      'mse',
      'rmse',
      'mape',
      'smape',
      'huberloss',
      'tukeyloss',
      { id: 'quantileloss', q: 0.3 },
      'mqloss',
    ]) {
      const loss = createLoss(spec);
      const i = inputs({ y: [[1, Number.NaN]], yHat: [[0.5, 0.5]], mask: [[1, 0]] });
      const yHat = tf.tile(i.yHat, [1, 1, loss.outputSize]) as tf.Tensor3D;
      const { value, grad: grads } = tf.valueAndGrad((p: tf.Tensor) =>
        loss.compute({ ...i, yHat: p as tf.Tensor3D }),
      )(yHat);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      expect(Array.from(grads.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([value, grads, yHat]);
      disposeInputs(i);
    }
  });
});

describe('gradients match finite differences', () => {
  it('for every point loss at a point away from kinks', () => {
    const specs = [
      'mae',
      'mse',
      'rmse',
      'mape',
      'smape',
      { id: 'mase', seasonality: 1 },
      'relmse',
      'huberloss',
      'tukeyloss',
      { id: 'quantileloss', q: 0.3 },
    ];
    const y = [[1.5, -2, 3]];
    const base = [[0.7, -1.2, 4.1]];
    for (const spec of specs) {
      const loss = createLoss(spec);
      const i = inputs({ y, yHat: base, insample: [[0.5, 2, 1, 2.5]] });
      const g = tf.grad((p: tf.Tensor) => loss.compute({ ...i, yHat: p as tf.Tensor3D }))(i.yHat);
      const analytic = Array.from(g.dataSync());
      g.dispose();
      disposeInputs(i);
      const h = 1e-2;
      base[0]?.forEach((_, k) => {
        const shifted = (d: number) => [base[0]?.map((v, j) => (j === k ? v + d : v)) as number[]];
        const numeric =
          (lossValue(spec, { y, yHat: shifted(h), insample: [[0.5, 2, 1, 2.5]] }) -
            lossValue(spec, { y, yHat: shifted(-h), insample: [[0.5, 2, 1, 2.5]] })) /
          (2 * h);
        expect(analytic[k], `${JSON.stringify(spec)}[${k}]`).toBeCloseTo(numeric, 2);
      });
    }
  });
});
