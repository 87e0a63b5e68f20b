/**
 * Hierarchical forecasting: the summing matrix, NeuralForecast's reconciliation matrices against
 * hand-computed values on the smallest hierarchy (total = a + b), coherence of reconciled draws,
 * and HINT end to end on a synthetic hierarchy whose aggregate is exactly the sum of its parts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { NeuralForecast } from '../src/core/index.js';
import type { PanelRow } from '../src/data/panel.js';
import {
  checkHierarchy,
  coherenceMatrix,
  Hint,
  hierarchyFromGroups,
  reconcileDraws,
  reconciliationMatrix,
  withAggregates,
} from '../src/hierarchy/index.js';
import { monthEnd } from './fixtures/month-end.js';

/** total = a + b. */
const TOY = hierarchyFromGroups(['a', 'b'], [{ id: 'total', members: ['a', 'b'] }]);

const expectMatrix = (actual: readonly (readonly number[])[] | null, expected: number[][]): void => {
  expect(actual).not.toBeNull();
  expect(actual!.length).toBe(expected.length);
  actual!.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[i]![j]!, 12)));
};

describe('summing matrix', () => {
  it('puts the aggregates first and the bottom identity last', () => {
    expect(TOY).toEqual({
      ids: ['total', 'a', 'b'],
      S: [
        [1, 1],
        [1, 0],
        [0, 1],
      ],
    });
  });

  it('refuses malformed hierarchies, saying what is wrong', () => {
    expect(() => hierarchyFromGroups(['a', 'b'], [{ id: 't', members: ['a', 'c'] }])).toThrow(
      /'c', which is not a bottom series/,
    );
    expect(() => hierarchyFromGroups(['a', 'b'], [])).toThrow(/no aggregate rows/);
    expect(() => hierarchyFromGroups(['a', 'b'], [{ id: 'a', members: ['a', 'b'] }])).toThrow(
      /'a' appears twice/,
    );
    expect(() =>
      checkHierarchy({
        ids: ['t', 'a', 'b'],
        S: [
          [1, 1],
          [0, 1],
          [0, 1],
        ],
      }),
    ).toThrow(ConfigError);
    expect(() =>
      checkHierarchy({
        ids: ['t', 'a', 'b'],
        S: [
          [1, 1],
          [1, 0],
        ],
      }),
    ).toThrow(/2 rows but 3 series/);
    expect(() =>
      checkHierarchy({
        ids: ['t', 'a', 'b'],
        S: [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
      }),
    ).toThrow(/sums no bottom/);
  });
});

describe('reconciliation matrices (total = a + b), by hand', () => {
  it('BottomUp keeps the bottom forecasts', () => {
    expectMatrix(reconciliationMatrix(TOY, 'BottomUp'), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('MinTraceOLS is (SᵀS)⁻¹Sᵀ: a = (T + 2a − b) / 3', () => {
    expectMatrix(reconciliationMatrix(TOY, 'MinTraceOLS'), [
      [1 / 3, 2 / 3, -1 / 3],
      [1 / 3, -1 / 3, 2 / 3],
    ]);
  });

  it('MinTraceWLS with W = diag(S·1) = diag(2, 1, 1) is (SᵀW⁻¹S)⁻¹SᵀW⁻¹: a = (T + 3a − b) / 4', () => {
    expectMatrix(reconciliationMatrix(TOY, 'MinTraceWLS'), [
      [0.25, 0.75, -0.25],
      [0.25, -0.25, 0.75],
    ]);
  });

  it('Identity reconciles nothing', () => {
    expect(reconciliationMatrix(TOY, 'Identity')).toBeNull();
  });

  it('on two levels, S·P leaves coherent forecasts unchanged and makes any forecast coherent', () => {
    const deep = hierarchyFromGroups(
      ['a1', 'a2', 'b1', 'b2'],
      [
        { id: 'total', members: ['a1', 'a2', 'b1', 'b2'] },
        { id: 'A', members: ['a1', 'a2'] },
        { id: 'B', members: ['b1', 'b2'] },
      ],
    );
    const bottom = [3, -1, 4, 1.5];
    const coherent = deep.S.map((row) => row.reduce((s, w, j) => s + w * bottom[j]!, 0));
    const noisy = coherent.map((v, i) => v + Math.sin(i + 1));
    for (const method of ['BottomUp', 'MinTraceOLS', 'MinTraceWLS'] as const) {
      const SP = coherenceMatrix(deep, method)!;
      const apply = (y: number[]) => SP.map((row) => row.reduce((s, w, j) => s + w * y[j]!, 0));
      apply(coherent).forEach((v, i) => expect(v, method).toBeCloseTo(coherent[i]!, 10));
      const fixed = apply(noisy);
      expect(fixed[0], method).toBeCloseTo(fixed[3]! + fixed[4]! + fixed[5]! + fixed[6]!, 10);
      expect(fixed[1], method).toBeCloseTo(fixed[3]! + fixed[4]!, 10);
      expect(fixed[2], method).toBeCloseTo(fixed[5]! + fixed[6]!, 10);
    }
  });
});

describe('reconciled draws and aggregates', () => {
  it('every reconciled draw adds up', () => {
    const draws = [
      [10, 12, 9],
      [4, 7, 5],
      [5, 6, 2],
    ];
    for (const method of ['BottomUp', 'MinTraceOLS', 'MinTraceWLS'] as const) {
      const [total, a, b] = reconcileDraws(coherenceMatrix(TOY, method)!, draws);
      total!.forEach((t, s) => expect(t).toBeCloseTo(a![s]! + b![s]!, 12));
    }
  });

  it('sums the bottom series into the aggregates, and refuses a date a series lacks', () => {
    const rows: PanelRow[] = [
      { unique_id: 'a', ds: 1, y: 2 },
      { unique_id: 'b', ds: 1, y: 5 },
      { unique_id: 'a', ds: 2, y: 3 },
      { unique_id: 'b', ds: 2, y: 1 },
    ];
    expect(withAggregates(rows, TOY).filter((r) => r.unique_id === 'total')).toEqual([
      { unique_id: 'total', ds: 1, y: 7 },
      { unique_id: 'total', ds: 2, y: 4 },
    ]);
    expect(() => withAggregates([...rows, { unique_id: 'a', ds: 3, y: 1 }], TOY)).toThrow(
      /'b' has no y on 3/,
    );
  });
});

/** a and b: seasonal series; total: their exact sum — a hierarchy whose truth is coherent. */
const bottomRows = (n: number): PanelRow[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length: n }, (_, t) => ({
      unique_id: id,
      ds: monthEnd(t),
      y: 10 * (k + 1) + (k + 1) * Math.sin((2 * Math.PI * t) / 6),
    })),
  );

const BASE = {
  id: 'mlp',
  config: {
    h: 3,
    input_size: 6,
    max_steps: 15,
    learning_rate: 0.01,
    num_layers: 1,
    hidden_size: 8,
    loss: { id: 'distributionloss', distribution: 'Normal', level: [80], num_samples: 200 },
    valid_loss: 'mae',
  },
};

describe('HINT', () => {
  let dir: string;
  beforeAll(async () => {
    await setBackend('wasm');
    dir = await mkdtemp(path.join(tmpdir(), 'nf-hint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('forecasts coherent means for every method, cross-validates, and saves and loads', async () => {
    const df = withAggregates(bottomRows(36), TOY);
    for (const reconciliation of ['BottomUp', 'MinTraceOLS', 'MinTraceWLS'] as const) {
      const hint = new Hint({ model: BASE, hierarchy: TOY, reconciliation, freq: 'M' });
      await hint.fit({ df });
      const rows = await hint.predict();
      expect(rows).toHaveLength(9);
      expect(Object.keys(rows[0]!).sort()).toEqual(
        ['unique_id', 'ds', 'HINT', 'HINT-median', 'HINT-lo-80', 'HINT-hi-80'].sort(),
      );
      const at = (id: string, j: number) => rows.filter((r) => r.unique_id === id)[j]!;
      for (let j = 0; j < 3; j += 1) {
        expect(at('total', j).HINT as number, reconciliation).toBeCloseTo(
          (at('a', j).HINT as number) + (at('b', j).HINT as number),
          6,
        );
        expect(at('a', j)['HINT-lo-80']! <= at('a', j)['HINT-hi-80']!).toBe(true);
      }
      if (reconciliation === 'MinTraceWLS') {
        const cv = await hint.crossValidation({ df, nWindows: 2, stepSize: 3 });
        expect(cv).toHaveLength(18);
        const key = (r: (typeof cv)[number]) => `${r.cutoff}|${r.ds}`;
        for (const total of cv.filter((r) => r.unique_id === 'total')) {
          const parts = cv.filter((r) => r.unique_id !== 'total' && key(r) === key(total));
          expect(total.y).toBeCloseTo(
            parts.reduce((s, r) => s + (r.y as number), 0),
            9,
          );
          expect(total.HINT as number).toBeCloseTo(
            parts.reduce((s, r) => s + (r.HINT as number), 0),
            6,
          );
        }
        await hint.save(path.join(dir, 'wls'));
        const loaded = await Hint.load(path.join(dir, 'wls'));
        expect(loaded.reconciliation).toBe('MinTraceWLS');
        // crossValidation refitted the base on each window's history, as NeuralForecast's does.
        expect(await loaded.predict()).toEqual(await hint.predict());
        loaded.dispose();
      }
      hint.dispose();
    }
  });

  it('refuses a point loss, an unknown method and data that is not the hierarchy', async () => {
    const mae = { ...BASE, config: { ...BASE.config, loss: 'mae' } };
    expect(() => new Hint({ model: mae, hierarchy: TOY, reconciliation: 'BottomUp', freq: 'M' })).toThrow(
      /distribution loss .* uses MAE/,
    );
    expect(
      () => new Hint({ model: BASE, hierarchy: TOY, reconciliation: 'TopDown' as 'BottomUp', freq: 'M' }),
    ).toThrow(/BottomUp, MinTraceOLS, MinTraceWLS, Identity/);
    const hint = new Hint({ model: BASE, hierarchy: TOY, reconciliation: 'BottomUp', freq: 'M' });
    await expect(hint.fit({ df: bottomRows(36) })).rejects.toThrow(/missing total/);
    hint.dispose();
  });

  it('NeuralForecast reports draws as columns for distribution losses only', async () => {
    const nf = new NeuralForecast({ models: [BASE], freq: 'M' });
    await nf.fit({ df: bottomRows(24) });
    const [row] = await nf.predict({ samples: 5 });
    expect(Object.keys(row!).filter((k) => k.startsWith('MLP-sample-'))).toHaveLength(5);
    expect(row!.MLP).toBeUndefined();
    await expect(nf.predict({ samples: 5, level: [80] })).rejects.toThrow(/level and samples/);
    nf.dispose();
    const point = new NeuralForecast({
      models: [{ ...BASE, config: { ...BASE.config, loss: 'mae' } }],
      freq: 'M',
    });
    await point.fit({ df: bottomRows(24) });
    await expect(point.predict({ samples: 5 })).rejects.toThrow(
      /no draws to sample; use a distribution loss/,
    );
    point.dispose();
  });
});
