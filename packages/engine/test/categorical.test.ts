/**
 * Categorical exogenous columns (NeuralForecast 3.2's `cat_exog_list`): the vocabulary, the
 * embedding widths and lookup, the scalers leaving codes alone, and a model that embeds them through
 * fit, predict, save and load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { lookupEmbedding } from '../src/categorical/embedding-network.js';
import { embeddingDim } from '../src/categorical/embedding-dims.js';
import { buildVocab, categoryKey, encodeCategory, vocabCodes } from '../src/categorical/vocab.js';
import { NeuralForecast } from '../src/core/index.js';
import type { PanelRow } from '../src/data/panel.js';
import type { ModelSpec } from '../src/model/types.js';
import { MODELS, type ModelId } from '../src/models/registry.js';
import { countParameters } from '../src/nn/params.js';
import { prepareBatch } from '../src/training/prepare-batch.js';
import { SMALL_CONFIGS } from './models-small-configs.js';
import { monthEnd } from './fixtures/month-end.js';

const SEASON = [4, -2, 7, 0, -5, 3, 1];

/** Two monthly series whose level shifts with a 7-valued category (`futr_day`), plus a numeric column. */
interface Row extends PanelRow {
  readonly unique_id: string;
  readonly ds: string;
  readonly y: number;
  readonly futr_x: number;
  readonly futr_day: number;
}
const panel = (n: number, from = 0): Row[] =>
  ['a', 'b'].flatMap((id, k) =>
    Array.from({ length: n }, (_, i) => {
      const t = from + i;
      return {
        unique_id: id,
        ds: monthEnd(t),
        y: 100 * k + 10 + (SEASON[t % 7] as number) + 0.1 * t,
        futr_x: Math.cos(t),
        futr_day: (t % 7) + 1,
      };
    }),
  );

const config = {
  h: 3,
  input_size: 6,
  max_steps: 8,
  learning_rate: 0.01,
  windows_batch_size: 32,
  num_layers: 1,
  hidden_size: 8,
  futr_exog_list: ['futr_x', 'futr_day'],
  cat_exog_list: ['futr_day'],
  categorical_cardinalities: { futr_day: 7 },
};

let dir: string;
beforeAll(async () => {
  await setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'nf-categorical-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('embedding widths (cat_emb_dim)', () => {
  it('follows NeuralForecast’s rules, capped at 50', () => {
    // fastai: ⌈1.6 · 7^0.56⌉ = ⌈4.757⌉ = 5; sqrt: ⌈2.646⌉ = 3; half: ⌊8 / 2⌋ = 4.
    expect(embeddingDim('fastai', 7)).toBe(5);
    expect(embeddingDim('sqrt', 7)).toBe(3);
    expect(embeddingDim('half', 7)).toBe(4);
    expect(embeddingDim('fastai', 2)).toBe(3); // ⌈1.6 · 1.474⌉
    expect(embeddingDim('fastai', 100_000)).toBe(50);
    expect(embeddingDim('half', 1_000)).toBe(50);
    expect(embeddingDim(12, 7)).toBe(12);
  });
});

describe('vocabulary', () => {
  it('numbers the sorted distinct values from 1; numbers sort as numbers, and 7 and "7" are one category', () => {
    const vocab = buildVocab({
      cardinalities: new Map([
        ['n', 5],
        ['s', 3],
      ]),
      data: [
        { unique_id: 'a', ds: 1, n: 10, s: 'mon' },
        { unique_id: 'a', ds: 2, n: '2', s: 'tue' },
        { unique_id: 'a', ds: 3, n: 2, s: null },
        { unique_id: 'a', ds: 4, n: Number.NaN, s: 'mon' },
      ],
    });
    expect(vocab).toEqual({ n: ['2', '10'], s: ['mon', 'tue'] });
    const codes = vocabCodes(vocab);
    expect(encodeCategory(codes.get('n') as Map<string, number>, 10)).toBe(2);
    expect(encodeCategory(codes.get('n') as Map<string, number>, '2')).toBe(1);
    expect(encodeCategory(codes.get('n') as Map<string, number>, 3)).toBe(0); // unseen
    expect(encodeCategory(codes.get('s') as Map<string, number>, undefined)).toBe(0); // missing
    expect(categoryKey(' tue ')).toBe('tue');
  });

  it('reads a column from the static frame when it is there', () => {
    const vocab = buildVocab({
      cardinalities: new Map([['region', 2]]),
      data: [{ unique_id: 'a', ds: 1, y: 1 }],
      staticRows: [
        { unique_id: 'a', region: 'north' },
        { unique_id: 'b', region: 'east' },
      ],
    });
    expect(vocab).toEqual({ region: ['east', 'north'] });
  });

  it('refuses more distinct values than the declared cardinality, naming the fix', () => {
    expect(() =>
      buildVocab({
        cardinalities: new Map([['c', 2]]),
        data: [1, 2, 3].map((c, i) => ({ unique_id: 'a', ds: i, c })),
      }),
    ).toThrow(/'c' has 3 distinct values .* raise categorical_cardinalities.c to at least 3/);
  });
});

describe('embedding lookup', () => {
  it('reads row k for code k and the mean of the learned rows for 0, out-of-range and negative codes', () => {
    const table = tf.tensor2d([
      [9, 9],
      [1, 2],
      [3, 4],
    ]);
    const out = lookupEmbedding(tf.tensor1d([1, 2, 0, 5, -1, 1.7]), table);
    expect(out.arraySync()).toEqual([
      [1, 2],
      [3, 4],
      [2, 3],
      [2, 3],
      [2, 3],
      [1, 2],
    ]);
  });

  it('sends gradients to the rows read, the unseen slot spreading over the learned rows', () => {
    const table = tf.variable(tf.tensor2d([[9], [1], [3]]));
    const { grads } = tf.variableGrads(
      () => tf.sum(lookupEmbedding(tf.tensor1d([1, 0]), table)) as tf.Scalar,
      [table],
    );
    // Code 1 reads row 1 once; code 0 reads (row 1 + row 2) / 2. Row 0 is never read.
    expect(Array.from(grads[table.name]?.dataSync() ?? [])).toEqual([0, 1.5, 0.5]);
    table.dispose();
  });
});

describe('window scaling', () => {
  it('leaves the code channels as they are and scales the rest', () => {
    const raw = {
      insampleY: tf.tensor3d([[[1], [2], [3]]]),
      insampleMask: tf.ones([1, 3, 1]) as tf.Tensor3D,
      outsampleY: tf.tensor3d([[[4]]]),
      outsampleMask: tf.ones([1, 1, 1]) as tf.Tensor3D,
      histExog: tf.tensor3d([
        [
          [10, 3],
          [20, 1],
          [30, 2],
        ],
      ]),
    };
    const { batch } = prepareBatch(raw as never, {
      scalerType: 'standard',
      excludeInsampleY: false,
      categoricalChannels: { futr: [], hist: [1] },
    });
    const hist = batch.histExog?.arraySync()[0] as number[][];
    expect(hist.map((row) => row[1])).toEqual([3, 1, 2]);
    expect(hist[1]?.[0]).toBeCloseTo(0, 6);
  });
});

describe('a model with categorical exogenous columns', () => {
  it('embeds them: parameters are the widened model’s plus one table of K + 1 rows', async () => {
    const nf = new NeuralForecast({ models: [{ id: 'mlp', config }], freq: 'M' });
    await nf.fit({ df: panel(40) });
    // futr_x stays one channel; futr_day becomes a 5-wide embedding (fastai for K = 7).
    const widened = new NeuralForecast({
      models: [
        {
          id: 'mlp',
          config: { ...config, cat_exog_list: [], futr_exog_list: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'] },
        },
      ],
      freq: 'M',
    });
    const rows = panel(40).map(({ futr_x: _x, futr_day: _d, ...row }) => ({
      ...row,
      ...{ c0: 0, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0 },
    }));
    await widened.fit({ df: rows });
    const count = (n: NeuralForecast) => countParameters(n.models[0]?.network?.variables ?? []);
    expect(count(nf)).toBe(count(widened) + 8 * 5);
    expect(nf.categoricalVocab).toEqual({ futr_day: ['1', '2', '3', '4', '5', '6', '7'] });
    nf.dispose();
    widened.dispose();
  });

  it('trains the tables, predicts with unseen categories, and saves and loads the vocabulary', async () => {
    const nf = new NeuralForecast({
      models: [{ id: 'mlp', config: { ...config, scaler_type: 'standard' } }],
      freq: 'M',
      localScalerType: 'standard',
    });
    await nf.fit({ df: panel(40) });
    const tables = nf.models[0]?.network?.variables.filter((v) => v.name.includes('cat_embeddings')) ?? [];
    expect(tables).toHaveLength(1);
    // The local scaler fitted futr_x but not the codes.
    expect(Object.keys(nf.state?.scalers?.a ?? {}).sort()).toEqual(['futr_x', 'y']);
    const futrDf = panel(3, 40).map(({ y: _y, ...row }, i) => ({
      ...row,
      futr_day: i === 0 ? 99 : row.futr_day,
    }));
    const before = await nf.predict({ futrDf });
    expect(before).toHaveLength(6);
    expect(before.every((row) => Number.isFinite(row.MLP as number))).toBe(true);
    const saved = path.join(dir, 'mlp-cat');
    await nf.save(saved);
    const loaded = await NeuralForecast.load(saved);
    expect(loaded.categoricalVocab).toEqual(nf.categoricalVocab);
    expect(await loaded.predict({ futrDf })).toEqual(before);
    nf.dispose();
    loaded.dispose();
  });

  it('takes string categories in the static frame and predicts without it after fit', async () => {
    const staticDf = [
      { unique_id: 'a', region: 'north' },
      { unique_id: 'b', region: 'south' },
    ];
    const nf = new NeuralForecast({
      models: [
        {
          id: 'mlp',
          config: {
            ...config,
            futr_exog_list: [],
            stat_exog_list: ['region'],
            cat_exog_list: ['region'],
            categorical_cardinalities: { region: 3 },
          },
        },
      ],
      freq: 'M',
    });
    const df = panel(30).map(({ futr_x: _x, futr_day: _d, ...row }) => row);
    await nf.fit({ df, staticDf });
    const fitted = await nf.predict();
    // A new df without staticDf reuses the fitted static frame, decoded back to its categories.
    expect(await nf.predict({ df })).toEqual(fitted);
    nf.dispose();
  });

  it('refuses what NeuralForecast refuses, naming the key', () => {
    const make = (id: string, extra: Record<string, unknown>) => () =>
      new NeuralForecast({ models: [{ id, config: { ...config, ...extra } }], freq: 'M' });
    const { num_layers: _n, hidden_size: _s, ...common } = config;
    expect(() => new NeuralForecast({ models: [{ id: 'lstm', config: common }], freq: 'M' })).toThrow(
      /model 'LSTM' \(LSTM\) does not embed categorical exogenous variables \(cat_exog_list: futr_day\)/,
    );
    expect(make('mlp', { cat_exog_list: ['nope'] })).toThrow(/cat_exog_list names nope/);
    expect(make('mlp', { categorical_cardinalities: {} })).toThrow(
      /categorical_cardinalities has no entry for futr_day/,
    );
    expect(make('mlp', { cat_emb_dim: 'log' })).toThrow(ConfigError);
    expect(
      () =>
        new NeuralForecast({
          models: [
            { id: 'mlp', config },
            { id: 'nhits', config: { ...common, categorical_cardinalities: { futr_day: 8 } } },
          ],
          freq: 'M',
        }),
    ).toThrow(/different categorical_cardinalities for 'futr_day' \(7 and 8\)/);
  });
});

describe('every model NeuralForecast 3.2 lets embed categories', () => {
  const EMBEDDING = Object.values(MODELS)
    .filter((spec) => (spec as ModelSpec).categoricalExogenous === true)
    .map((spec) => spec.id)
    .sort();

  it('is flagged, and no other', () => {
    // EXOGENOUS_CAT = True in neuralforecast/models/*.py at v3.2.0.
    expect(EMBEDDING).toEqual(
      [
        'autoformer',
        'bitcn',
        'deepnpts',
        'fedformer',
        'informer',
        'kan',
        'mlp',
        'nbeatsx',
        'nhits',
        'tide',
        'timesnet',
        'vanillatransformer',
      ].sort(),
    );
  });

  it.each(EMBEDDING)(
    '%s trains a step and predicts with a categorical column of each kind it takes',
    async (id) => {
      const spec = MODELS[id as ModelId] as ModelSpec;
      const kinds = (['futr', 'hist', 'stat'] as const).filter((kind) => spec.exogenous[kind]);
      const columns = Object.fromEntries(kinds.map((kind) => [kind, `${kind}_cat`]));
      const df = panel(24).map(({ futr_x: _x, futr_day: day, ...row }) => ({
        ...row,
        ...(columns.futr ? { futr_cat: day } : {}),
        ...(columns.hist ? { hist_cat: (day % 3) + 1 } : {}),
      }));
      const nf = new NeuralForecast({
        models: [
          {
            id,
            config: {
              ...SMALL_CONFIGS[id as ModelId],
              h: 3,
              input_size: 8,
              max_steps: 1,
              windows_batch_size: 8,
              ...(columns.futr ? { futr_exog_list: ['futr_cat'] } : {}),
              ...(columns.hist ? { hist_exog_list: ['hist_cat'] } : {}),
              ...(columns.stat ? { stat_exog_list: ['stat_cat'] } : {}),
              cat_exog_list: Object.values(columns),
              categorical_cardinalities: Object.fromEntries(Object.values(columns).map((c) => [c, 7])),
              cat_emb_dim: 2,
            },
          },
        ],
        freq: 'M',
      });
      await nf.fit({
        df,
        ...(columns.stat
          ? {
              staticDf: [
                { unique_id: 'a', stat_cat: 'x' },
                { unique_id: 'b', stat_cat: 'y' },
              ],
            }
          : {}),
      });
      const futrDf = columns.futr
        ? panel(3, 24).map(({ unique_id, ds, futr_day }) => ({ unique_id, ds, futr_cat: futr_day }))
        : undefined;
      const rows = await nf.predict(futrDf ? { futrDf } : {});
      expect(rows).toHaveLength(6);
      expect(rows.every((row) => Number.isFinite(row[nf.models[0]?.name as string] as number))).toBe(true);
      nf.dispose();
    },
  );
});
