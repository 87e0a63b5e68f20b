import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { LOSSES, MODEL_IDS } from '@nflab/engine';
import { importFile } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { missingDrawDays } from '../src/data/profile.js';
import { documentedRoutes } from '../src/openapi.js';
import { GAMES, METRIC_IDS, vocabularyResponseSchema } from '@nflab/contracts';
import { SAME_ORIGIN, signIn } from './sign-in.js';

const LOTO6 = new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;

test('missing draw days follow the schedule in force on each day', () => {
  // loto6 drew on Thursdays only until 2011-04-04, then Mondays and Thursdays.
  const present = new Set(['2011-03-31', '2011-04-04', '2011-04-11', '2011-04-14']);
  expect(missingDrawDays(GAMES.loto6, '2011-03-24', '2011-04-14', present)).toEqual([
    '2011-03-24',
    '2011-04-07',
  ]);
});

describe.each(await testDbKinds())('data panel/profile, models, specs, plan and OpenAPI on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let get: (url: string) => Promise<LightMyRequestResponse>;
  let post: (url: string, payload: unknown) => Promise<LightMyRequestResponse>;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db });
    const { cookie } = await signIn(db, 'viewer');
    get = (url) => app.inject({ url, headers: { cookie } });
    post = (url, payload) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie, origin: SAME_ORIGIN },
        payload: payload as object,
      });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('panel: chosen series with exogenous columns aligned to ds', async () => {
    const body = (
      await get('/api/data/tables/nf_loto_final/panel?loto=loto6&unique_ids=N1,B1&columns=num')
    ).json();
    expect(body.series.map((s: { unique_id: string }) => s.unique_id)).toEqual(['B1', 'N1']);
    const [, n1] = body.series;
    expect(n1.ds).toHaveLength(1498);
    expect(n1.ds[0]).toBe('2000-10-05');
    expect(n1.y).toHaveLength(1498);
    expect(n1.exog.num).toHaveLength(1498);
    expect(n1.exog.num[0]).toBe(1);
    const plain = (await get('/api/data/tables/nf_loto_final/panel?loto=loto6&unique_ids=N2')).json();
    expect(plain.series[0].exog).toEqual({});
    const missing = await get('/api/data/tables/nf_loto_final/panel?unique_ids=N1');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues[0].path).toBe('query.loto');
    const unknownColumn = await get('/api/data/tables/nf_loto_final/panel?loto=loto6&columns=nope');
    expect(unknownColumn.statusCode).toBe(400);
    expect(unknownColumn.json().error.message).toContain('nope');
  });

  test('profile: rows, series, range, gaps against the draw weekdays, nulls, distinct, weekdays', async () => {
    const profile = (await get('/api/data/tables/nf_loto_final/profile?loto=loto6')).json();
    expect(profile).toMatchObject({
      rows: 10486,
      series: 7,
      dateRange: { from: '2000-10-05', to: '2020-07-09' },
    });
    expect(profile.nulls.y).toBe(0);
    expect(profile.distinct.unique_id).toBe(7);
    expect(
      profile.weekdays.map((w: { draws: number }) => w.draws).reduce((a: number, b: number) => a + b),
    ).toBe(1498);
    // Draws fall on Mondays and Thursdays only.
    expect(
      profile.weekdays
        .filter((w: { draws: number }) => w.draws > 0)
        .map((w: { weekday: number }) => w.weekday),
    ).toEqual([1, 4]);
    expect(profile.gaps.count).toBe(profile.gaps.dates.length);
    expect(profile.gaps.dates.every((day: string) => [1, 4].includes(new Date(day).getUTCDay()))).toBe(true);
    expect((await get('/api/data/tables/nf_loto_final/profile?loto=loto7')).statusCode).toBe(404);
    expect((await get('/api/data/tables/nf_loto_final/profile')).statusCode).toBe(400);
  });

  test('models: the engine registry with capabilities, defaults and config keys', async () => {
    const models = (await get('/api/models')).json();
    expect(models.map((m: { id: string }) => m.id)).toEqual(MODEL_IDS);
    const nhits = models.find((m: { id: string }) => m.id === 'nhits');
    expect(nhits).toMatchObject({ autoId: 'auto_nhits', label: 'NHITS', multivariate: false });
    expect(nhits.exogenous).toEqual({ futr: true, hist: true, stat: true });
    expect(nhits.configKeys).toEqual(
      expect.arrayContaining(['n_pool_kernel_size', 'input_size', 'max_steps']),
    );
    expect(Object.keys(nhits.defaultSearchSpace)).toContain('input_size');
    // A multivariate model's defaults are its own (n_series is the run's panel width, never a default).
    const tsmixer = models.find((m: { id: string }) => m.id === 'tsmixer');
    expect(tsmixer).toMatchObject({ multivariate: true, defaultConfig: { n_block: 2, ff_dim: 64 } });
    expect(tsmixer.defaultConfig).not.toHaveProperty('n_series');
    // Which models the wizard offers HINT (a distribution loss) for: all but the point-loss-only ones.
    const pointOnly = models.filter((m: { pointLossOnly: boolean }) => m.pointLossOnly);
    expect(pointOnly.map((m: { id: string }) => m.id)).toEqual(['deepnpts', 'timellm']);
    // Which models embed categorical columns (cat_exog_list): NeuralForecast 3.2's EXOGENOUS_CAT ones.
    const categorical = models.filter((m: { categoricalExogenous: boolean }) => m.categoricalExogenous);
    expect(categorical.map((m: { id: string }) => m.id)).toContain('nhits');
    expect(categorical.map((m: { id: string }) => m.id)).not.toContain('lstm');
  });

  test('vocabulary: the loss registry and the metric ids, as the wizard offers them', async () => {
    const response = await get('/api/vocabulary');
    expect(response.statusCode).toBe(200);
    const vocabulary = vocabularyResponseSchema.parse(response.json());
    expect(vocabulary.losses.map((loss) => loss.id)).toEqual(Object.keys(LOSSES));
    expect(vocabulary.metrics).toEqual([...METRIC_IDS]);
    const needsParams = vocabulary.losses.filter((loss) => loss.needsParams).map((loss) => loss.id);
    expect(needsParams).toEqual(['mase', 'quantileloss', 'distributionloss']);
    expect(vocabulary.distributions).toEqual(['Normal', 'StudentT', 'Poisson', 'NegativeBinomial']);
  });

  test('schemas and spec validation: parsed spec with defaults, or 400 naming the field', async () => {
    expect((await get('/api/schemas/run-spec')).json().title).toBe('NF Loto Lab run spec');
    expect((await get('/api/schemas/sweep-spec')).json().title).toBe('NF Loto Lab sweep spec');
    const valid = await post('/api/specs/validate', {
      kind: 'run',
      spec: { loto: 'loto6', unique_ids: ['N1'], model: 'auto_nhits' },
    });
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toMatchObject({
      valid: true,
      spec: { table_name: 'nf_loto_final', h: 1, backend: 'optuna' },
    });
    const aliased = await post('/api/specs/validate', {
      kind: 'sweep',
      spec: { loto: 'loto6', unique_ids: ['N1'], model: ['AutoNHITS', 'NHITS'] },
    });
    expect(aliased.json()).toMatchObject({ valid: true, spec: { model: ['auto_nhits', 'nhits'] } });
    const invalid = await post('/api/specs/validate', {
      kind: 'run',
      spec: { loto: 'loto6', unique_ids: ['N1'], model: 'auto_nhits', h: 0 },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('config');
    expect(invalid.json().error.issues[0].path).toBe('body.spec.h');
    expect((await post('/api/specs/validate', { kind: 'job', spec: {} })).json().error.issues[0].path).toBe(
      'body.kind',
    );
  });

  test('sweep plan: runs, invalid combinations with reasons and an estimate', async () => {
    const response = await post('/api/sweeps/plan', {
      spec: {
        loto: 'loto6',
        unique_ids: ['N1', 'N2'],
        model: 'auto_nhits',
        h: [2, 2000],
        num_samples: 2,
        max_steps: 10,
        config: { val_check_steps: 5 },
        search_space: { input_size: { kind: 'int', low: 4, high: 8 } },
      },
    });
    expect(response.statusCode).toBe(200);
    const plan = response.json();
    expect(plan).toMatchObject({ count: 1, combinations: 2, duplicatesRemoved: 0 });
    expect(plan.runs[0]).toMatchObject({ index: 0, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(plan.invalid[0].reasons[0]).toContain('h: 2000 is too long');
    // (2 trials + final fit) × 10 steps × 0.065 s
    expect(plan.estimatedSeconds).toBe(2);
    // The wizard's series rule, as the API plans it: a multivariate model on one series is a run
    // (n_series 1); splitting series one per run is refused for it alone.
    const oneSeries = (
      await post('/api/sweeps/plan', {
        spec: { loto: 'loto6', unique_ids: ['N1'], model: 'tsmixer', config: { input_size: 4 } },
      })
    ).json();
    expect(oneSeries).toMatchObject({ count: 1, invalid: [] });
    const split = (
      await post('/api/sweeps/plan', {
        spec: {
          loto: 'loto6',
          unique_ids: ['N1', 'N2'],
          each_unique_id: true,
          model: 'tsmixer',
          config: { input_size: 4 },
        },
      })
    ).json();
    expect(split.count).toBe(0);
    expect(split.invalid[0].reasons[0]).toMatch(/^each_unique_id: splits the series/);
    const bad = await post('/api/sweeps/plan', { spec: { loto: 'loto6' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.length).toBeGreaterThan(0);
  });

  test('OpenAPI is public, generated from the schemas, and lists every server route', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const runs = document.paths['/api/runs'].get;
    expect(runs.parameters.find((p: { name: string }) => p.name === 'sort').schema.enum).toContain('metric');
    expect(document.paths['/api/auth/login'].post.security).toEqual([]);
    // Every documented route is one the server really serves.
    for (const route of documentedRoutes()) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      expect(app.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
  });
});
