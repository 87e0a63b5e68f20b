/**
 * The MLflow API beyond the recorded session: who may call it (401/403 in MLflow's error shape),
 * bad input (400 INVALID_PARAMETER_VALUE), log-batch limits, param immutability, search grammar
 * and paging, lab runs seen as MLflow runs, external runs in the lab's history, artifact paths
 * that try to leave the store, and the audit entries.
 */
import { mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { MLFLOW_ROUTES, type RouteDescription } from '@nflab/contracts';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { mlflowCaller, type MlflowCall } from './mlflow-client.js';
import { seedRuns, type SeededRuns } from './seed-runs.js';

const API = '/api/2.0/mlflow';
const ROUTES: readonly RouteDescription[] = Object.values<RouteDescription>(MLFLOW_ROUTES);

/** A concrete URL of a described route (a file path for the artifact wildcard). */
const urlOf = (route: RouteDescription): string =>
  `/api${route.path.replace('*', '0/run/artifacts/file.txt')}`;

describe.each(await testDbKinds())('MLflow API on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let artifactRoot: string;
  let asEditor: MlflowCall;
  let asViewer: MlflowCall;
  let anonymous: MlflowCall;
  let seeded: SeededRuns;
  let experimentId: string;

  const createRun = async (tags: { key: string; value: string }[] = []): Promise<string> => {
    const response = await asEditor({
      method: 'POST',
      url: `${API}/runs/create`,
      json: { experiment_id: experimentId, start_time: 1_700_000_000_000, tags },
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { run: { info: { run_id: string } } }).run.info.run_id;
  };

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    artifactRoot = await mkdtemp(join(tmpdir(), 'nflab-mlflow-routes-'));
    app = await buildServer({ db, artifactRoot });
    asEditor = await mlflowCaller(app, db, 'editor');
    asViewer = await mlflowCaller(app, db, 'viewer');
    anonymous = await mlflowCaller(app, db, undefined);
    seeded = await seedRuns(db);
    const created = await asEditor({
      method: 'POST',
      url: `${API}/experiments/create`,
      json: { name: 'routes' },
    });
    experimentId = (created.json() as { experiment_id: string }).experiment_id;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(artifactRoot, { recursive: true, force: true });
  });

  test('without a token every MLflow route is 401 UNAUTHENTICATED in MLflow error shape', async () => {
    for (const route of ROUTES) {
      const response = await anonymous({
        method: route.method,
        url: urlOf(route),
        ...(route.method === 'POST' ? { json: {} } : {}),
      });
      expect(response.statusCode, urlOf(route)).toBe(401);
      expect(response.json(), urlOf(route)).toEqual({
        error_code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
    }
  });

  test('a viewer reads but every write route is 403 PERMISSION_DENIED, and audited as access.denied', async () => {
    const writes = ROUTES.filter((route) => route.access === 'editor');
    expect(writes.length).toBeGreaterThan(10);
    for (const route of writes) {
      const response = await asViewer({
        method: route.method,
        url: urlOf(route),
        ...(route.method === 'POST' ? { json: {} } : { body: Buffer.from('x'), contentType: 'text/plain' }),
      });
      expect(response.statusCode, urlOf(route)).toBe(403);
      expect(response.json()).toEqual({
        error_code: 'PERMISSION_DENIED',
        message: 'this needs the editor role; you are signed in as viewer',
      });
    }
    const denied = await db.query<{ entity_id: string }>(
      "SELECT entity_id FROM nf_audit_log WHERE action = 'access.denied' AND entity_id LIKE '%/2.0/mlflow%'",
    );
    expect(denied.rows.length).toBe(writes.length);
    const read = await asViewer({
      method: 'GET',
      url: `${API}/experiments/get?experiment_id=${experimentId}`,
    });
    expect(read.statusCode).toBe(200);
  });

  test('missing and mistyped fields are 400 INVALID_PARAMETER_VALUE naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['experiments/create', {}, "Missing value for required parameter 'name'"],
      ['runs/log-metric', { run_id: 'x', key: 'loss' }, "Missing value for required parameter 'value'"],
      [
        'runs/log-metric',
        { run_id: 'x', key: 'loss', value: 'high' },
        `Invalid value "high" for parameter 'value'`,
      ],
      [
        'runs/create',
        { experiment_id: experimentId, start_time: 'soon' },
        `Invalid value "soon" for parameter 'start_time'`,
      ],
      ['runs/update', { run_id: 'x', status: 'DONE' }, 'Invalid value "DONE" for parameter \'status\''],
      ['runs/search', { experiment_ids: [experimentId], max_results: 50_001 }, 'It must be at most 50000'],
      [
        'runs/search',
        { experiment_ids: [experimentId], filter: 'metrics.loss ~ 1' },
        'unexpected character "~"',
      ],
      ['runs/search', { experiment_ids: [experimentId], page_token: 'nope' }, 'Invalid page token'],
      ['runs/search', {}, 'experiment_ids: at least one experiment id is required'],
      [
        'experiments/create',
        { name: 'x', artifact_location: '/etc' },
        "the lab keeps experiments' artifacts itself",
      ],
    ];
    for (const [path, json, message] of cases) {
      const response = await asEditor({ method: 'POST', url: `${API}/${path}`, json });
      expect(response.statusCode, `${path} ${JSON.stringify(json)}`).toBe(400);
      const body = response.json() as { error_code: string; message: string };
      expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(body.message).toContain(message);
    }
    const history = await asViewer({ method: 'GET', url: `${API}/metrics/get-history?run_id=x` });
    expect(history.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        "Missing value for required parameter 'metric_key'. See the API docs for more information about request parameters.",
    });
  });

  test('unknown ids are 404 RESOURCE_DOES_NOT_EXIST; a taken experiment name is RESOURCE_ALREADY_EXISTS', async () => {
    const run = await asViewer({ method: 'GET', url: `${API}/runs/get?run_id=${'0'.repeat(32)}` });
    expect(run.statusCode).toBe(404);
    expect(run.json()).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: `Run with id=${'0'.repeat(32)} not found`,
    });
    const experiment = await asViewer({ method: 'GET', url: `${API}/experiments/get?experiment_id=9999` });
    expect(experiment.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    const again = await asEditor({
      method: 'POST',
      url: `${API}/experiments/create`,
      json: { name: 'routes' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Experiment(name=routes) already exists.',
    });
  });

  test('experiments are created, deleted and restored (audited); a deleted one takes no runs; 0 stays', async () => {
    const created = await asEditor({
      method: 'POST',
      url: `${API}/experiments/create`,
      json: { name: 'lifecycle' },
    });
    const id = (created.json() as { experiment_id: string }).experiment_id;
    expect(
      (await asEditor({ method: 'POST', url: `${API}/experiments/delete`, json: { experiment_id: id } }))
        .statusCode,
    ).toBe(200);
    const refused = await asEditor({
      method: 'POST',
      url: `${API}/runs/create`,
      json: { experiment_id: id },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error_code: 'INVALID_STATE' });
    const deleted = await asViewer({
      method: 'POST',
      url: `${API}/experiments/search`,
      json: { view_type: 'DELETED_ONLY' },
    });
    expect((deleted.json() as { experiments: { name: string }[] }).experiments.map((e) => e.name)).toEqual([
      'lifecycle',
    ]);
    expect(
      (await asEditor({ method: 'POST', url: `${API}/experiments/restore`, json: { experiment_id: id } }))
        .statusCode,
    ).toBe(200);
    const audited = await db.query<{ action: string }>(
      "SELECT action FROM nf_audit_log WHERE entity = 'experiment' AND entity_id = $1 ORDER BY id",
      [id],
    );
    expect(audited.rows.map((row) => row.action)).toEqual([
      'experiment.create',
      'experiment.delete',
      'experiment.restore',
    ]);
    const keep = await asEditor({
      method: 'POST',
      url: `${API}/experiments/delete`,
      json: { experiment_id: '0' },
    });
    expect(keep.statusCode).toBe(400);
    expect(keep.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });

  test("log-batch keeps MLflow's limits and writes nothing from a refused batch", async () => {
    const runId = await createRun();
    const metric = (i: number) => ({ key: `m${i}`, value: i, timestamp: 1, step: 0 });
    const kv = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));
    const cases: [unknown, string][] = [
      [
        { metrics: Array.from({ length: 1001 }, (_, i) => metric(i)) },
        'at most 1000 metrics. Got 1001 metrics',
      ],
      [{ params: kv('p', 101) }, 'at most 100 params. Got 101 params'],
      [{ tags: kv('t', 101) }, 'at most 100 tags. Got 101 tags'],
      [
        { metrics: Array.from({ length: 900 }, (_, i) => metric(i)), params: kv('p', 100), tags: kv('t', 1) },
        'at most 1000 total metrics, params and tags. Got 1001',
      ],
      [{ params: [{ key: '../escape', value: '1' }] }, "Invalid key '../escape'"],
      [{ params: [{ key: 'p', value: 'x'.repeat(6001) }] }, 'exceeds the 6000 characters'],
    ];
    for (const [batch, message] of cases) {
      const response = await asEditor({
        method: 'POST',
        url: `${API}/runs/log-batch`,
        json: { run_id: runId, ...(batch as object) },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error_code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining(message),
      });
    }
    const full = await asEditor({
      method: 'POST',
      url: `${API}/runs/log-batch`,
      json: {
        run_id: runId,
        metrics: Array.from({ length: 900 }, (_, i) => metric(i)),
        params: kv('p', 100),
      },
    });
    expect(full.statusCode, full.body).toBe(200);
    const run = await asViewer({ method: 'GET', url: `${API}/runs/get?run_id=${runId}` });
    const data = (run.json() as { run: { data: { metrics: unknown[]; params: unknown[]; tags: unknown[] } } })
      .run.data;
    expect(data.metrics).toHaveLength(900);
    expect(data.params).toHaveLength(100);
    // Only the tag the server adds (mlflow.runName): the refused batches wrote nothing.
    expect(data.tags).toHaveLength(1);
  });

  test('a param keeps its first value; the same value again is accepted', async () => {
    const runId = await createRun();
    const log = (value: string) =>
      asEditor({
        method: 'POST',
        url: `${API}/runs/log-parameter`,
        json: { run_id: runId, key: 'alpha', value },
      });
    expect((await log('0.5')).statusCode).toBe(200);
    expect((await log('0.5')).statusCode).toBe(200);
    const changed = await log('0.7');
    expect(changed.statusCode).toBe(400);
    expect(changed.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `Changing param values is not allowed. Param with key='alpha' was already logged with value='0.5' for run ID='${runId}'. Attempted logging new value '0.7'.`,
    });
  });

  test('log-inputs: datasets are listed in the run’s inputs, once per name and digest, within MLflow’s limits; a lab run shows the data version it trained on', async () => {
    const runId = await createRun();
    const dataset = {
      name: 'loto6-train',
      digest: 'a1b2c3d4',
      source_type: 'local',
      source: '/data/loto6.csv',
    };
    const log = (datasets: unknown) =>
      asEditor({ method: 'POST', url: `${API}/runs/log-inputs`, json: { run_id: runId, datasets } });
    const context = (value: string) => [{ key: 'mlflow.data.context', value }];
    expect((await log([{ dataset, tags: context('train') }])).statusCode).toBe(200);
    expect((await log([{ dataset, tags: context('eval') }])).statusCode).toBe(200);
    const got = await asViewer({ method: 'GET', url: `${API}/runs/get?run_id=${runId}` });
    expect((got.json() as { run: { inputs: unknown } }).run.inputs).toEqual({
      dataset_inputs: [{ tags: context('eval'), dataset }],
    });
    const tooLong = await log([{ dataset: { ...dataset, digest: 'd'.repeat(37) } }]);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "'dataset.digest' exceeds the maximum length of 36 characters (got 37).",
    });
    const missing = await log([{ dataset: { name: 'x', digest: 'y', source_type: 'local' } }]);
    expect(missing.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect((missing.json() as { message: string }).message).toContain("'source'");
    expect((await log('nope')).json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });

    const [finished] = seeded.runIds;
    const labId = finished.replaceAll('-', '');
    const refused = await asEditor({
      method: 'POST',
      url: `${API}/runs/log-inputs`,
      json: { run_id: labId, datasets: [{ dataset }] },
    });
    expect(refused.json()).toMatchObject({ error_code: 'INVALID_STATE' });
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_datasets (name, table_name, loto, unique_ids, fingerprint, row_count)
       VALUES ('inputs-test', 'nf_loto_final', 'loto6', '{N1}', $1, 10) RETURNING id`,
      ['f'.repeat(64)],
    );
    await db.query('UPDATE nf_model_runs SET dataset_id = $2 WHERE id = $1', [finished, rows[0]?.id]);
    const lab = await asViewer({ method: 'GET', url: `${API}/runs/get?run_id=${labId}` });
    const [input] = (
      lab.json() as { run: { inputs: { dataset_inputs: { dataset: Record<string, string> }[] } } }
    ).run.inputs.dataset_inputs;
    expect(input).toMatchObject({
      tags: context('training'),
      dataset: { name: 'nf_loto_final:loto6', digest: 'f'.repeat(36), source_type: 'nflab' },
    });
    expect(JSON.parse(input?.dataset.source ?? '{}')).toMatchObject({
      table: 'nf_loto_final',
      unique_ids: ['N1'],
      rows: 10,
    });
  });

  test('MLflow web UI paths under /ajax-api answer as under /api, with the same access rules', async () => {
    const runId = await createRun();
    const ajax = API.replace(/^\/api\//, '/ajax-api/');
    const viaApi = await asViewer({ method: 'GET', url: `${API}/runs/get?run_id=${runId}` });
    const viaAjax = await asViewer({ method: 'GET', url: `${ajax}/runs/get?run_id=${runId}` });
    expect(viaAjax.statusCode, viaAjax.body).toBe(200);
    expect(viaAjax.json()).toEqual(viaApi.json());
    expect((await anonymous({ method: 'GET', url: `${ajax}/runs/get?run_id=${runId}` })).statusCode).toBe(
      401,
    );
    const tag = { run_id: runId, key: 'k', value: 'v' };
    expect((await asViewer({ method: 'POST', url: `${ajax}/runs/set-tag`, json: tag })).statusCode).toBe(403);
    const bad = await asEditor({ method: 'POST', url: `${ajax}/runs/set-tag`, json: { run_id: runId } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect((bad.json() as { message: string }).message).toContain("'key'");
    expect((await asEditor({ method: 'POST', url: `${ajax}/runs/set-tag`, json: tag })).statusCode).toBe(200);
  });

  test('a deleted run refuses writes until restored', async () => {
    const runId = await createRun();
    expect(
      (await asEditor({ method: 'POST', url: `${API}/runs/delete`, json: { run_id: runId } })).statusCode,
    ).toBe(200);
    const refused = await asEditor({
      method: 'POST',
      url: `${API}/runs/set-tag`,
      json: { run_id: runId, key: 'k', value: 'v' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({
      error_code: 'INVALID_STATE',
      message: `The run ${runId} must be in the 'active' state. Current state is deleted.`,
    });
    expect(
      (await asEditor({ method: 'POST', url: `${API}/runs/restore`, json: { run_id: runId } })).statusCode,
    ).toBe(200);
    const set = await asEditor({
      method: 'POST',
      url: `${API}/runs/set-tag`,
      json: { run_id: runId, key: 'k', value: 'v' },
    });
    expect(set.statusCode).toBe(200);
    const audited = await db.query<{ action: string }>(
      "SELECT action FROM nf_audit_log WHERE entity_id = $1 AND action IN ('run.create', 'run.delete', 'run.restore') ORDER BY id",
      [runId],
    );
    expect(audited.rows.map((row) => row.action)).toEqual(['run.create', 'run.delete', 'run.restore']);
  });

  test('search: comparators, LIKE/ILIKE, IN, order_by on a metric, and pages that neither repeat nor skip', async () => {
    const experiment = await asEditor({
      method: 'POST',
      url: `${API}/experiments/create`,
      json: { name: 'search' },
    });
    const searchExperiment = (experiment.json() as { experiment_id: string }).experiment_id;
    const ids: string[] = [];
    for (const [index, model] of ['Alpha', 'beta', 'gamma'].entries()) {
      const created = await asEditor({
        method: 'POST',
        url: `${API}/runs/create`,
        json: { experiment_id: searchExperiment, run_name: `run-${model}`, start_time: 1000 + index },
      });
      const runId = (created.json() as { run: { info: { run_id: string } } }).run.info.run_id;
      ids.push(runId);
      await asEditor({
        method: 'POST',
        url: `${API}/runs/log-batch`,
        json: {
          run_id: runId,
          metrics: [{ key: 'loss', value: 3 - index, timestamp: 5, step: 0 }],
          params: [{ key: 'model', value: model }],
          tags: [{ key: 'phase', value: index === 2 ? 'test' : 'train' }],
        },
      });
    }
    const search = async (body: Record<string, unknown>) => {
      const response = await asViewer({
        method: 'POST',
        url: `${API}/runs/search`,
        json: { experiment_ids: [searchExperiment], ...body },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { runs?: { info: { run_id: string } }[]; next_page_token?: string };
    };
    const idsOf = (answer: { runs?: { info: { run_id: string } }[] }) =>
      (answer.runs ?? []).map((run) => run.info.run_id);
    const [alpha, beta, gamma] = ids as [string, string, string];
    expect(idsOf(await search({}))).toEqual([gamma, beta, alpha]);
    expect(idsOf(await search({ filter: 'metrics.loss >= 2', order_by: ['metrics.loss ASC'] }))).toEqual([
      beta,
      alpha,
    ]);
    expect(idsOf(await search({ filter: "params.model LIKE 'a%'" }))).toEqual([]);
    expect(idsOf(await search({ filter: "params.model ILIKE 'a%'" }))).toEqual([alpha]);
    expect(idsOf(await search({ filter: "tags.phase IN ('test', 'x')" }))).toEqual([gamma]);
    expect(
      idsOf(await search({ filter: "tags.phase NOT IN ('test')", order_by: ['params.model DESC'] })),
    ).toEqual([beta, alpha]);
    expect(idsOf(await search({ filter: "attributes.run_name = 'run-beta' and metrics.loss != 1" }))).toEqual(
      [beta],
    );
    expect(idsOf(await search({ filter: `attributes.run_id IN ('${alpha}')` }))).toEqual([alpha]);
    expect(
      idsOf(await search({ filter: 'attributes.start_time > 1000', order_by: ['attributes.start_time'] })),
    ).toEqual([beta, gamma]);
    // A name that is not a param matches nothing (and never reaches SQL as anything but a value).
    expect(idsOf(await search({ filter: "params.`x'; DROP TABLE nf_model_runs; --` = 'y'" }))).toEqual([]);
    const first = await search({ max_results: 2 });
    expect(idsOf(first)).toEqual([gamma, beta]);
    const second = await search({ max_results: 2, page_token: first.next_page_token });
    expect(idsOf(second)).toEqual([alpha]);
    expect(second.next_page_token).toBeUndefined();
  });

  test('lab runs are MLflow runs in experiment 0, read-only; external runs are in the lab history', async () => {
    const [finished] = seeded.runIds;
    const labId = finished.replaceAll('-', '');
    const got = await asViewer({ method: 'GET', url: `${API}/runs/get?run_id=${labId}` });
    expect(got.statusCode, got.body).toBe(200);
    const run = (
      got.json() as {
        run: { info: Record<string, unknown>; data: Record<string, { key: string; value: unknown }[]> };
      }
    ).run;
    expect(run.info).toMatchObject({
      run_id: labId,
      experiment_id: '0',
      status: 'FINISHED',
      lifecycle_stage: 'active',
    });
    expect(run.data.params).toContainEqual({ key: 'model', value: 'auto_nhits' });
    expect(run.data.tags).toContainEqual({ key: 'nflab.sweep_id', value: seeded.sweepId });
    expect(run.data.metrics).toContainEqual(expect.objectContaining({ key: 'valid_loss', value: 3 }));
    const history = await asViewer({
      method: 'GET',
      url: `${API}/metrics/get-history?run_id=${labId}&metric_key=train_loss`,
    });
    expect(history.json()).toEqual({
      metrics: [expect.objectContaining({ key: 'train_loss', value: 4, step: 1 })],
    });
    const search = await asViewer({
      method: 'POST',
      url: `${API}/runs/search`,
      json: {
        experiment_ids: ['0'],
        filter: `tags.\`nflab.sweep_id\` = '${seeded.sweepId}' and attributes.status = 'FINISHED'`,
      },
    });
    expect(
      (search.json() as { runs: { info: { run_id: string } }[] }).runs.map((r) => r.info.run_id),
    ).toEqual([labId]);
    // Its data is the lab's record; its tags are the lab's run tags, which MLflow edits too.
    const write = await asEditor({
      method: 'POST',
      url: `${API}/runs/log-parameter`,
      json: { run_id: labId, key: 'k', value: 'v' },
    });
    expect(write.statusCode).toBe(400);
    expect(write.json()).toMatchObject({ error_code: 'INVALID_STATE' });
    const tag = (key: string, value: string) =>
      asEditor({ method: 'POST', url: `${API}/runs/set-tag`, json: { run_id: labId, key, value } });
    expect((await tag('phase', 'tuning')).statusCode).toBe(200);
    const derived = await tag('nflab.sweep_id', 'x');
    expect(derived.statusCode).toBe(400);
    expect(derived.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    const labDetail = await asViewer({ method: 'GET', url: `/api/runs/${finished}` });
    expect((labDetail.json() as { tags: unknown }).tags).toEqual({ phase: 'tuning' });
    const tagged = await asViewer({
      method: 'POST',
      url: `${API}/runs/search`,
      json: { experiment_ids: ['0'], filter: "tags.phase = 'tuning'" },
    });
    expect(
      (tagged.json() as { runs: { info: { run_id: string } }[] }).runs.map((r) => r.info.run_id),
    ).toEqual([labId]);
    const untag = (key: string) =>
      asEditor({ method: 'POST', url: `${API}/runs/delete-tag`, json: { run_id: labId, key } });
    expect((await untag('phase')).statusCode).toBe(200);
    expect((await untag('phase')).json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });

    const external = await createRun();
    await asEditor({
      method: 'POST',
      url: `${API}/runs/update`,
      json: { run_id: external, status: 'KILLED', end_time: 1_700_000_060_000 },
    });
    const row = await db.query<{ status: string; mlflow_run_id: string; spec: unknown }>(
      'SELECT status, mlflow_run_id, spec FROM nf_model_runs WHERE mlflow_run_id = $1',
      [external],
    );
    expect(row.rows).toEqual([{ status: 'cancelled', mlflow_run_id: external, spec: null }]);
    // The lab's own history API lists it beside the lab's runs.
    const uuid = external.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const historyPage = await asViewer({ method: 'GET', url: '/api/runs?status=cancelled' });
    expect(historyPage.statusCode, historyPage.body).toBe(200);
    expect(historyPage.body).toContain(uuid);
  });

  test('artifact paths that leave the store are refused; files round-trip; uploads are audited', async () => {
    const put = (path: string, body = 'hello') =>
      asEditor({
        method: 'PUT',
        url: `/api/2.0/mlflow-artifacts/artifacts/${path}`,
        body: Buffer.from(body),
        contentType: 'application/octet-stream',
      });
    // Bare dots are resolved in the URL before routing, so they reach no artifact route at all.
    const dotted = await put('1/run/../../../../outside.txt');
    expect(dotted.statusCode).toBe(404);
    await expect(stat(join(artifactRoot, 'outside.txt'))).rejects.toThrow();
    for (const path of [
      '1/run/..%2F..%2F..%2F..%2Foutside.txt',
      '1/run/%2e%2e%2F%2e%2e%2F%2e%2e%2Foutside.txt',
      '1//run/a.txt',
      '1/run/a%5Cb.txt',
    ]) {
      const response = await put(path);
      expect(response.statusCode, path).toBe(400);
      expect(response.json(), path).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    const list = await asViewer({ method: 'GET', url: '/api/2.0/mlflow-artifacts/artifacts?path=..%2F..' });
    expect(list.statusCode).toBe(400);
    // A symlink planted in the store does not lead out of it.
    const outside = await mkdtemp(join(tmpdir(), 'nflab-mlflow-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'secret');
    expect((await put('1/run/artifacts/a.txt')).statusCode).toBe(200);
    await symlink(outside, join(artifactRoot, 'mlflow', '1', 'run', 'link'));
    const through = await asViewer({
      method: 'GET',
      url: '/api/2.0/mlflow-artifacts/artifacts/1/run/link/secret.txt',
    });
    expect(through.statusCode).toBe(400);
    expect((await put('1/run/link/new.txt')).statusCode).toBe(400);
    await rm(outside, { recursive: true, force: true });

    const download = await asViewer({
      method: 'GET',
      url: '/api/2.0/mlflow-artifacts/artifacts/1/run/artifacts/a.txt',
    });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('hello');
    const listed = await asViewer({
      method: 'GET',
      url: '/api/2.0/mlflow-artifacts/artifacts?path=1%2Frun%2Fartifacts',
    });
    expect(listed.json()).toEqual({ files: [{ path: 'a.txt', is_dir: false, file_size: 5 }] });
    const missing = await asViewer({
      method: 'GET',
      url: '/api/2.0/mlflow-artifacts/artifacts/1/run/artifacts/none.txt',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    const audited = await db.query<{ entity_id: string; details: { bytes: number } }>(
      "SELECT entity_id, details FROM nf_audit_log WHERE action = 'artifact.upload' AND entity_id = '1/run/artifacts/a.txt'",
    );
    expect(audited.rows.map((row) => row.details.bytes)).toEqual([5]);
  });
});
