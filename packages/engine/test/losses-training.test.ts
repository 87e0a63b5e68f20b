import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOSSES, createLoss } from '../src/losses/index.js';
import { disposeInputs, inputs } from './losses-helpers.js';

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

const REQUIRED: Record<string, Record<string, unknown>> = {
  mase: { seasonality: 1 },
  quantileloss: { q: 0.5 },
  distributionloss: { distribution: 'Poisson' },
};

describe('every loss trains', () => {
  it('Adam on free outputs lowers each loss within a few dozen steps, without leaks', () => {
    // Count-like targets so every distribution's support holds them.
    const data = {
      y: [
        [3, 5, 4],
        [6, 2, 5],
      ],
      yHat: [
        [0, 0, 0],
        [0, 0, 0],
      ],
      insample: [
        [2, 4, 3, 5],
        [5, 3, 6, 4],
      ],
    };
    const specs: Record<string, unknown>[] = Object.keys(LOSSES).map((id) => ({ id, ...REQUIRED[id] }));
    for (const distribution of ['Normal', 'StudentT', 'NegativeBinomial'])
      specs.push({ id: 'distributionloss', distribution });
    for (const spec of specs) {
      const loss = createLoss(spec);
      const label = JSON.stringify(spec);
      const i = inputs(data);
      const init = tf.fill([2, 3, loss.outputSize], 0.1);
      const raw = tf.variable(init) as tf.Variable<tf.Rank.R3>;
      init.dispose();
      const optimizer = tf.train.adam(0.1);
      const lossAt = () => tf.tidy(() => loss.compute({ ...i, yHat: loss.domainMap(raw) }));
      const first = lossAt();
      const start = first.dataSync()[0] as number;
      first.dispose();
      for (let step = 0; step < 60; step += 1) {
        const cost = optimizer.minimize(lossAt, true, [raw]);
        cost?.dispose();
      }
      const last = lossAt();
      const end = last.dataSync()[0] as number;
      last.dispose();
      expect(Number.isFinite(end), label).toBe(true);
      expect(end, label).toBeLessThan(start);
      optimizer.dispose();
      raw.dispose();
      disposeInputs(i);
    }
  });
});
