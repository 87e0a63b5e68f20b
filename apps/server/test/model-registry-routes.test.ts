/**
 * The lab's model registry routes on both databases: list and detail, stage moves (into or out of
 * prod: admin only, refusals audited), aliases, predict by alias, who moved what when from the
 * audit log, 401/403/400/404 — and that MLflow clients see and change the same registry.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { importFile } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { mlflowCaller, type MlflowCall } from './mlflow-client.js';
import { SAME_ORIGIN, signIn, type SignedIn } from './sign-in.js';

const LOTO6 = new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const RUN = { loto: 'loto6', unique_ids: ['N1'], model: 'nhits', config: { input_size: 8 }, max_steps: 5 };
const MLFLOW = '/api/2.0/mlflow';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Call = (method: Method, url: string, payload?: unknown) => Promise<LightMyRequestResponse>;

describe.each(await testDbKinds())('model registry routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let anonymous: Call;
  let asViewer: Call;
  let asEditor: Call;
  let asAdmin: Call;
  let editor: SignedIn;
  let admin: SignedIn;
  let mlflow: MlflowCall;
  let runs: string[];

  const caller =
    (cookie: string | undefined): Call =>
    (method, url, payload) =>
      app.inject({
        method,
        url,
        headers: { ...(cookie === undefined ? {} : { cookie }), origin: SAME_ORIGIN },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

  /** A finished run with a saved model, as a worker leaves it. */
  const finishedRun = async (): Promise<string> => {
    const { runId } = (await asEditor('POST', '/api/runs', { spec: RUN })).json() as { runId: string };
    await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [runId]);
    await db.query(
      `UPDATE nf_model_runs SET status = 'finished', end_time = now(), best_params = '{"input_size": 4}',
              model_properties = '{"modelDir": "/nowhere/model"}' WHERE id = $1`,
      [runId],
    );
    return runId;
  };

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db });
    editor = await signIn(db, 'editor');
    admin = await signIn(db, 'admin');
    anonymous = caller(undefined);
    asViewer = caller((await signIn(db, 'viewer')).cookie);
    asEditor = caller(editor.cookie);
    asAdmin = caller(admin.cookie);
    mlflow = await mlflowCaller(app, db, 'editor');
    runs = [await finishedRun(), await finishedRun()];
    expect((await asEditor('POST', `/api/runs/${runs[0]}/promote`, { stage: 'dev' })).statusCode).toBe(200);
    const second = await asEditor('POST', `/api/runs/${runs[1]}/promote`, {
      stage: 'staging',
      alias: 'challenger',
    });
    expect(second.statusCode, second.body).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('anonymous callers get 401 and viewers 403 on writes; viewers read', async () => {
    const writes: [Method, string, unknown][] = [
      ['POST', '/api/registry/nhits/versions/1/stage', { stage: 'staging' }],
      ['PUT', '/api/registry/nhits/aliases/champion', { version: 1 }],
      ['DELETE', '/api/registry/nhits/aliases/challenger', undefined],
      ['POST', '/api/registry/nhits/predict', { alias: 'challenger' }],
    ];
    for (const [method, url, payload] of [
      ['GET', '/api/registry', undefined] as const,
      ['GET', '/api/registry/nhits', undefined] as const,
      ['GET', '/api/registry/nhits/aliases/challenger', undefined] as const,
      ['GET', '/api/registry/nhits/versions/1/card?format=html', undefined] as const,
      ['GET', '/api/registry/nhits/compare', undefined] as const,
      ...writes,
    ])
      expect((await anonymous(method, url, payload)).statusCode, `${method} ${url}`).toBe(401);
    for (const [method, url, payload] of writes)
      expect((await asViewer(method, url, payload)).statusCode, `${method} ${url}`).toBe(403);
    expect((await asViewer('GET', '/api/registry')).statusCode).toBe(200);
    expect((await asViewer('GET', '/api/registry/nhits/versions/1/card')).statusCode).toBe(200);
    // Nothing changed.
    const alias = await asViewer('GET', '/api/registry/nhits/aliases/challenger');
    expect(alias.json()).toMatchObject({ version: 2, stage: 'staging', run_id: runs[1] });
  });

  test('bad input is 400 naming the field; unknown models, versions and aliases are 404', async () => {
    const bad: [Method, string, unknown, string][] = [
      ['POST', '/api/registry/nhits/versions/1/stage', { stage: 'gold' }, 'body.stage'],
      ['POST', '/api/registry/nhits/versions/one/stage', { stage: 'dev' }, 'path.version'],
      ['POST', '/api/registry/nhits/versions/1/stage', { stage: 'dev', extra: 1 }, 'body'],
      ['PUT', '/api/registry/nhits/aliases/Champion!', { version: 1 }, 'path.alias'],
      ['PUT', '/api/registry/nhits/aliases/champion', { version: 0 }, 'body.version'],
      ['POST', '/api/registry/nhits/predict', {}, 'body'],
      ['POST', '/api/registry/nhits/predict', { alias: 'champion', version: 1 }, 'body'],
      ['GET', '/api/registry/nhits/versions/1/card?format=pdf', undefined, 'query.format'],
      ['GET', '/api/registry/nhits/versions/0/card', undefined, 'path.version'],
    ];
    for (const [method, url, payload, path] of bad) {
      const response = await asEditor(method, url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(response.json().error.issues[0].path, url).toBe(path);
    }
    const archiveOthers = await asEditor('POST', '/api/registry/nhits/versions/1/stage', {
      stage: 'dev',
      archive_others: true,
    });
    expect(archiveOthers.statusCode).toBe(400);
    expect(archiveOthers.json().error.message).toContain('only a move to staging or prod');
    for (const [method, url, payload] of [
      ['GET', '/api/registry/nope', undefined],
      ['POST', '/api/registry/nhits/versions/9/stage', { stage: 'dev' }],
      ['PUT', '/api/registry/nhits/aliases/champion', { version: 9 }],
      ['GET', '/api/registry/nhits/aliases/nobody'],
      ['DELETE', '/api/registry/nhits/aliases/nobody'],
      ['POST', '/api/registry/nhits/predict', { alias: 'nobody' }],
      ['GET', '/api/registry/nope/versions/1/card'],
      ['GET', '/api/registry/nhits/versions/9/card'],
    ] as const) {
      const response = await asEditor(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  test('stages and aliases move; prod both ways is for admins; predict by alias; history says who did what', async () => {
    const listed = await asViewer('GET', '/api/registry');
    expect(listed.json().items).toEqual([
      expect.objectContaining({
        name: 'nhits',
        versions: 2,
        latest_version: 2,
        stages: { dev: 1, staging: 2 },
        aliases: { challenger: 2 },
      }),
    ]);

    const champion = await asEditor('PUT', '/api/registry/nhits/aliases/champion', { version: 1 });
    expect(champion.statusCode, champion.body).toBe(200);
    expect(champion.json()).toMatchObject({ version: 1, aliases: ['champion'] });
    // An alias names one version: moving it takes it from version 1.
    const moved = await asEditor('PUT', '/api/registry/nhits/aliases/champion', { version: 2 });
    expect(moved.json()).toMatchObject({ version: 2, aliases: ['challenger', 'champion'] });

    const toProd = await asEditor('POST', '/api/registry/nhits/versions/2/stage', { stage: 'prod' });
    expect(toProd.statusCode).toBe(403);
    expect(toProd.json().error.message).toBe('this needs the admin role; you are signed in as editor');
    const adminProd = await asAdmin('POST', '/api/registry/nhits/versions/2/stage', { stage: 'prod' });
    expect(adminProd.statusCode, adminProd.body).toBe(200);
    expect(adminProd.json()).toMatchObject({ version: 2, stage: 'prod' });
    // Taking what production serves out of prod is a prod transition too, through promote as well.
    expect((await asEditor('POST', `/api/runs/${runs[1]}/promote`, { stage: 'staging' })).statusCode).toBe(
      403,
    );
    expect(
      (await asEditor('POST', '/api/registry/nhits/versions/2/stage', { stage: 'archived' })).statusCode,
    ).toBe(403);
    const staging = await asEditor('POST', '/api/registry/nhits/versions/1/stage', { stage: 'staging' });
    expect(staging.json()).toMatchObject({ version: 1, stage: 'staging' });

    const predicted = await asEditor('POST', '/api/registry/nhits/predict', { alias: 'champion' });
    expect(predicted.statusCode, predicted.body).toBe(201);
    const child = await db.query<{ parent_run_id: string; operation: string }>(
      'SELECT parent_run_id, operation FROM nf_model_runs WHERE id = $1',
      [predicted.json().runId],
    );
    expect(child.rows[0]).toEqual({ parent_run_id: runs[1], operation: 'predict' });
    const byVersion = await asEditor('POST', '/api/registry/nhits/predict', {
      version: 1,
      latest_data: false,
    });
    expect(byVersion.statusCode, byVersion.body).toBe(201);

    const archived = await asAdmin('POST', '/api/registry/nhits/versions/2/stage', { stage: 'archived' });
    expect(archived.json()).toMatchObject({ stage: 'archived' });
    expect((await asEditor('DELETE', '/api/registry/nhits/aliases/challenger')).statusCode).toBe(204);
    expect((await asEditor('DELETE', '/api/registry/nhits/aliases/challenger')).statusCode).toBe(404);

    const detail = (await asViewer('GET', '/api/registry/nhits')).json();
    expect(detail.model).toMatchObject({ stages: { staging: 1, archived: 2 }, aliases: { champion: 2 } });
    expect(detail.entries.map((entry: { version: number }) => entry.version)).toEqual([2, 1]);
    const history = detail.history.map(
      (entry: { actor: string; action: string; outcome: string; details: Record<string, unknown> }) => [
        entry.actor,
        entry.action,
        entry.outcome,
        entry.details.version ?? null,
        entry.details.to ?? entry.details.alias ?? entry.details.stage ?? null,
      ],
    );
    expect(history).toEqual([
      [editor.username, 'model.alias_delete', 'success', 2, 'challenger'],
      [admin.username, 'model.stage', 'success', 2, 'archived'],
      [editor.username, 'model.stage', 'success', 1, 'staging'],
      [editor.username, 'access.denied', 'denied', 2, 'archived'],
      [editor.username, 'access.denied', 'denied', 2, 'staging'],
      [admin.username, 'model.stage', 'success', 2, 'prod'],
      [editor.username, 'access.denied', 'denied', 2, 'prod'],
      [editor.username, 'model.alias', 'success', 2, 'champion'],
      [editor.username, 'model.alias', 'success', 1, 'champion'],
      [editor.username, 'model.promote', 'success', 2, 'challenger'],
      [editor.username, 'model.promote', 'success', 1, 'dev'],
    ]);
  });

  test('MLflow clients read and change the same registry', async () => {
    const got = await mlflow({ method: 'GET', url: `${MLFLOW}/registered-models/get?name=nhits` });
    expect(got.statusCode, got.body).toBe(200);
    const model = got.json().registered_model;
    expect(model.aliases).toEqual([{ alias: 'champion', version: '2' }]);
    expect(
      model.latest_versions.map((version: { version: string; current_stage: string }) => [
        version.version,
        version.current_stage,
      ]),
    ).toEqual([
      ['1', 'Staging'],
      ['2', 'Archived'],
    ]);
    // A version an MLflow client registers is a lab version; the lab cannot predict with it.
    const created = await mlflow({
      method: 'POST',
      url: `${MLFLOW}/model-versions/create`,
      json: { name: 'nhits', source: 's3://bucket/model' },
    });
    expect(created.json().model_version).toMatchObject({ version: '3', current_stage: 'None' });
    const lab = (await asViewer('GET', '/api/registry/nhits')).json();
    expect(lab.entries[0]).toMatchObject({ version: 3, stage: 'dev', run_id: null });
    const refused = await asEditor('POST', '/api/registry/nhits/predict', { version: 3 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('s3://bucket/model');
    // Production through MLflow needs an admin too.
    const production = await mlflow({
      method: 'POST',
      url: `${MLFLOW}/model-versions/transition-stage`,
      json: { name: 'nhits', version: '3', stage: 'Production', archive_existing_versions: false },
    });
    expect(production.statusCode).toBe(403);
    expect(production.json().error_code).toBe('PERMISSION_DENIED');
  });

  test('a version has a model card in Markdown and HTML: data fingerprint, baselines, the verdict on chance', async () => {
    const cv = {
      points: 40,
      windows: 20,
      overall: { mae: 9.5, rmse: 11.2 },
      baselines: { naive: { mae: 9.1, rmse: 10.8 }, historic_average: { mae: 9.3, rmse: 11 } },
      significance: {
        naive: { statistic: 0.8, pValue: 0.42, better: 'neither' },
        historic_average: { statistic: 0.3, pValue: 0.77, better: 'neither' },
      },
      beats_all_baselines: false,
    };
    await db.query(
      `UPDATE nf_model_runs SET metrics = $2, data_fingerprint = 'f1ngerpr1nt-0123abcd',
              engine_version = '@nflab/engine 0.1.0; tfjs 4.22.0 wasm; no native blas',
              model_properties = '{"modelDir": "/nowhere/model", "sha256": "5ha256-of-the-model"}' WHERE id = $1`,
      [runs[0], JSON.stringify({ metric: 'mae', valid_loss: 0.9, cv })],
    );
    const md = await asViewer('GET', '/api/registry/nhits/versions/1/card');
    expect(md.statusCode, md.body).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toBe('inline; filename="model-card-nhits-v1.md"');
    const text = md.body;
    expect(text).toContain('# Model card: nhits version 1');
    expect(text).toContain('f1ngerpr1nt-0123abcd');
    expect(text).toContain('5ha256-of-the-model');
    expect(text).toMatch(/\| naive \| 9\.1 \| 10\.8 \|/);
    expect(text).toMatch(/\| historic_average \| 0\.3 \| 0\.77 \| neither \|/);
    expect(text).toContain('**Beats chance: no.**');
    expect(text).toContain('not shown to be better than chance');
    expect(text).toContain(`${runs[0]}`);
    // The data's date range: the sample's draws of N1.
    expect(text).toMatch(/date range \(the table today\) \| 2000-\d\d-\d\d – 2020-\d\d-\d\d/);
    expect(text).toContain('## Known limitations');

    const html = await asViewer('GET', '/api/registry/nhits/versions/1/card?format=html');
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.body).toContain('data-verdict="no"');
    expect(html.body).toContain('f1ngerpr1nt-0123abcd');
    expect(html.body).toContain('<td>historic_average</td>');

    // A version an MLflow client registered has a card too, saying what is not known.
    const external = await asViewer('GET', '/api/registry/nhits/versions/3/card');
    expect(external.statusCode, external.body).toBe(200);
    expect(external.body).toContain('s3://bucket/model');
    expect(external.body).toContain('**Beats chance: not established.**');
  });

  test('champion vs challenger: paired tests on the same recent points and the A/B power analysis', async () => {
    // champion is version 2 (runs[1]); challenger now names version 1 (runs[0]).
    expect((await asEditor('PUT', '/api/registry/nhits/aliases/challenger', { version: 1 })).statusCode).toBe(
      200,
    );
    for (const [runId, miss] of [
      [runs[1], (i: number) => (i % 2 === 0 ? 1 : -1)],
      [runs[0], (i: number) => (i % 3 === 0 ? 4 : -2)],
    ] as const)
      await db.query(
        `INSERT INTO nf_cv_results (run_id, unique_id, ds, cutoff, y, model, suffix, value)
         SELECT $1, 'N1', DATE '2020-01-01' + i, DATE '2020-01-01' + i - 1, 10, 'NHITS', '', 10 + v
           FROM unnest($2::int[], $3::float8[]) AS t(i, v)`,
        [runId, [...Array(30).keys()], [...Array(30).keys()].map(miss)],
      );
    const compared = await asViewer('GET', '/api/registry/nhits/compare?recent=20&power=0.9');
    expect(compared.statusCode, compared.body).toBe(200);
    const body = compared.json();
    expect(body).toMatchObject({
      champion: { alias: 'champion', version: 2, run_id: runs[1], mae: 1 },
      challenger: { alias: 'challenger', version: 1, run_id: runs[0] },
      points: 20,
      from: '2020-01-11',
      to: '2020-01-30',
      power: { alpha: 0.05, power: 0.9 },
    });
    expect(body.comparison.pairs[0].dieboldMariano.better).toBe('model');
    expect(body.power.pointsNeeded).toBeGreaterThanOrEqual(2);
    expect(body.verdict).toContain('the champion is better');

    for (const [query, path] of [
      ['recent=2', 'query.recent'],
      ['challenger=champion', 'query.challenger'],
      ['power=1', 'query.power'],
      ['mae_difference=-1', 'query.mae_difference'],
      ['extra=1', 'query'],
    ]) {
      const response = await asViewer('GET', `/api/registry/nhits/compare?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.issues[0].path, query).toBe(path);
    }
    expect((await asViewer('GET', '/api/registry/nhits/compare?challenger=nobody')).statusCode).toBe(404);
    expect((await asViewer('GET', '/api/registry/nope/compare')).statusCode).toBe(404);
  });
});
