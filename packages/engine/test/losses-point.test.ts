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
  const value = take(loss.compute({ ...i, yHat: mapped }));
  mapped.dispose();
  disposeInputs(i);
  return value;
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
