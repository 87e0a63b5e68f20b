/**
 * The `mlflow` tracking sink, end to end against the lab's own MLflow-compatible server: lab A
 * (a database and, where routes are read, a server) ends a sweep's runs with an `mlflow` sink and
 * exports them to lab B — a real server listening on a port, reached over HTTP with a lab API
 * token as MLFLOW_TRACKING_TOKEN. Read back through lab B's MLflow API, each run has the params,
 * tags, metric histories, status and times lab A's own MLflow API shows for it, and its model and
 * report files. Then what goes wrong: B down (the attempt fails, a retry later succeeds), B
 * refusing (failed at once with MLflow's message), a spec naming another server.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { exportDueRuns, type ExportCredentials } from '@nflab/runner';
import { listRunExports, mlflowRunId, type Db } from '@nflab/store';
import { openTestDb, testDbKinds, truncateLabTables, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { modelCardArtifacts } from '../src/registry/model-card.js';
import { promoteRun } from '../src/registry/promote.js';
import { createApiToken } from '../src/auth/api-tokens.js';
import { mlflowCaller, type MlflowCall } from './mlflow-client.js';
import { SAME_ORIGIN, signIn } from './sign-in.js';

const API = '/api/2.0/mlflow';
const MODEL_BYTES = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));
const REPORT_HTML = '<!doctype html><title>run report</title><p>beats chance: no</p>';

interface KeyValue {
  key: string;
  value: string;
}
interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}
interface RunMessage {
  info: Record<string, unknown> & { run_id: string; experiment_id: string };
  data: { params?: KeyValue[]; tags?: KeyValue[]; metrics?: Metric[] };
}

/** Lab A's sweep: two runs with an mlflow sink (one with 1,200 steps and 120 config keys, past one log-batch). */
const insertSweepRuns = async (
  db: Db,
  artifactRoot: string,
  tracking: unknown[],
): Promise<{ sweepId: string; runIds: string[] }> => {
  const sweepId = (
    await db.query<{ id: string }>(`INSERT INTO nf_sweeps (name, spec) VALUES ('nightly', '{}') RETURNING id`)
  ).rows[0]!.id;
  const runIds: string[] = [];
  for (const [index, steps] of [1200, 3].entries()) {
    const config = Object.fromEntries(
      Array.from({ length: index === 0 ? 120 : 2 }, (_, k) => [`knob_${k}`, k]),
    );
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, horizon, loss, backend, spec, seed,
                                  metrics, best_params, sweep_id, data_fingerprint, engine_version)
       VALUES ('nf_loto_final', 'loto6', ARRAY['N1','N2'], 'auto_nhits', 4, 'mae', 'optuna', $1::jsonb, 7,
               $2::jsonb, $3::jsonb, $4::uuid, 'fp123', '0.1.0')
       RETURNING id`,
      [
        JSON.stringify({ model: 'auto_nhits', loto: 'loto6', h: 4, max_steps: steps, config, tracking }),
        JSON.stringify({ valid_loss: 4.5 + index, cv: { overall: { mae: 5.25, smape: null } }, beats: true }),
        JSON.stringify({ learning_rate: 0.001, hidden: [64, 64] }),
        sweepId,
      ],
    );
    const id = rows[0]!.id;
    runIds.push(id);
    await db.query(
      `INSERT INTO nf_step_metrics (run_id, step, train_loss, valid_loss, learning_rate, at)
       SELECT $1::uuid, s, 10.0 / s, CASE WHEN s % 100 = 0 OR s = $2 THEN 4.5 END, 0.001,
              now() - interval '1 hour' + make_interval(secs => s)
       FROM generate_series(1, $2::int) AS s`,
      [id, steps],
    );
    const modelFile = join(artifactRoot, id, 'model', 'weights.bin');
    await mkdir(join(artifactRoot, id, 'model'), { recursive: true });
    await writeFile(modelFile, MODEL_BYTES);
    await db.query(
      `INSERT INTO nf_artifacts (run_id, path, kind, sha256, bytes) VALUES ($1, $2, 'model', NULL, $3)`,
      [id, modelFile, MODEL_BYTES.length],
    );
    await db.query(`INSERT INTO nf_reports (run_id, title, html) VALUES ($1, 'run report', $2)`, [
      id,
      REPORT_HTML,
    ]);
    await db.query(
      `UPDATE nf_model_runs SET status = 'running', start_time = now() - interval '2 hours' WHERE id = $1`,
      [id],
    );
    await db.query(
      index === 0
        ? `UPDATE nf_model_runs SET status = 'finished', end_time = now() WHERE id = $1`
        : `UPDATE nf_model_runs SET status = 'failed', end_time = now(), error_message = 'loss went NaN' WHERE id = $1`,
      [id],
    );
  }
  return { sweepId, runIds };
};

/** A lab server listening on a port, as the user's MLflow server; its address and an API token. */
interface LabB {
  app: FastifyInstance;
  url: string;
  editorToken: string;
  viewerToken: string;
}

const startLabB = async (db: TestDb, artifactRoot: string, port = 0): Promise<LabB> => {
  const app = await buildServer({ db, artifactRoot, exportIntervalMs: false, monitorIntervalMs: false });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('lab B has no port');
  const token = async (role: 'editor' | 'viewer'): Promise<string> =>
    (await createApiToken(db, { userId: (await signIn(db, role)).userId, name: `mlflow-${role}` })).token;
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    editorToken: await token('editor'),
    viewerToken: await token('viewer'),
  };
};

/** GET on lab B's MLflow API over HTTP. */
const getB = async (b: LabB, path: string): Promise<unknown> => {
  const response = await fetch(`${b.url}${path}`, { headers: { authorization: `Bearer ${b.viewerToken}` } });
  expect(response.status, path).toBe(200);
  return path.startsWith('/api/2.0/mlflow-artifacts/artifacts/') && !path.includes('?')
    ? Buffer.from(await response.arrayBuffer())
    : response.json();
};

const history = async (
  read: (path: string) => Promise<unknown>,
  runId: string,
  key: string,
): Promise<Metric[]> =>
  (
    (await read(
      `${API}/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}&max_results=25000`,
    )) as { metrics?: Metric[] }
  ).metrics ?? [];

describe.each(await testDbKinds())('MLflow export on %s', (kind) => {
  let dbA: TestDb;
  let dbB: TestDb;
  let rootA: string;
  let rootB: string;
  let labA: FastifyInstance;
  let asA: MlflowCall;
  let b: LabB;
  const credentials = (token = b.editorToken): ExportCredentials => ({
    mlflow: { trackingUri: b.url, token },
  });
  const readA = async (path: string): Promise<unknown> => {
    const response = await asA({ method: 'GET', url: path });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    dbA = await openTestDb(kind, { migrate: true });
    dbB = await openTestDb(kind, { migrate: true });
    rootA = await mkdtemp(join(tmpdir(), 'nflab-export-a-'));
    rootB = await mkdtemp(join(tmpdir(), 'nflab-export-b-'));
    labA = await buildServer({
      db: dbA,
      artifactRoot: rootA,
      exportIntervalMs: false,
      monitorIntervalMs: false,
    });
    b = await startLabB(dbB, rootB);
  }, 120_000);
  afterAll(async () => {
    await labA?.close();
    await b?.app.close();
    await dbA?.close();
    await dbB?.close();
    for (const root of [rootA, rootB]) if (root) await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await truncateLabTables(dbA);
    asA = await mlflowCaller(labA, dbA, 'editor');
  });

  test('a sweep exported to lab B reads back from B’s MLflow API as lab A’s MLflow API shows it', async () => {
    const { sweepId, runIds } = await insertSweepRuns(dbA, rootA, ['postgres', 'mlflow']);
    // The finished run is registered: its model goes out with its model cards, as the server exports.
    await promoteRun(dbA, { runId: runIds[0]!, name: 'nhits-export', stage: 'staging' });
    const outcomes = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      extraArtifacts: (db, runId) => modelCardArtifacts(db, runId),
    });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);

    for (const id of runIds) {
      const [row] = await listRunExports(dbA, id);
      expect(row).toMatchObject({ sink: 'mlflow', status: 'exported', attempts: 1, last_error: null });
      const remoteId = row!.external_id!;
      expect(row!.external_url).toBe(`${b.url}/#/experiments/0/runs/${remoteId}`);
      const labRow = await dbA.query(
        'SELECT mlflow_run_id, mlflow_experiment FROM nf_model_runs WHERE id = $1',
        [id],
      );
      expect(labRow.rows).toEqual([{ mlflow_run_id: remoteId, mlflow_experiment: '0' }]);

      const a = ((await readA(`${API}/runs/get?run_id=${mlflowRunId(id)}`)) as { run: RunMessage }).run;
      const there = ((await getB(b, `${API}/runs/get?run_id=${remoteId}`)) as { run: RunMessage }).run;
      // Same name, status and times; the Default experiment, where the lab lists its own runs.
      for (const field of ['run_name', 'status', 'start_time', 'end_time', 'experiment_id'])
        expect(there.info[field], field).toEqual(a.info[field]);

      // Every param A shows, with its value; B has the spec's fields and the seed on top.
      const paramsB = new Map((there.data.params ?? []).map((p) => [p.key, p.value]));
      expect((a.data.params ?? []).length).toBeGreaterThan(8);
      for (const param of a.data.params ?? []) expect(paramsB.get(param.key), param.key).toBe(param.value);
      expect(paramsB.get('seed')).toBe('7');
      expect(paramsB.get('spec.config.knob_1')).toBe('1');
      expect(paramsB.get('best.hidden')).toBe('[64, 64]');
      const extra = [...paramsB.keys()].filter((key) => !(a.data.params ?? []).some((p) => p.key === key));
      expect(extra.every((key) => key === 'seed' || key.startsWith('spec.'))).toBe(true);

      // Tags: A's (a parent would be renamed to its id on B) plus the lab run's names.
      const tagsB = new Map((there.data.tags ?? []).map((t) => [t.key, t.value]));
      for (const tag of a.data.tags ?? []) expect(tagsB.get(tag.key), tag.key).toBe(tag.value);
      expect(tagsB.get('nflab.sweep_id')).toBe(sweepId);
      expect(
        Object.fromEntries([...tagsB].filter(([key]) => /^nflab\.(run_id|model|loto|unique_ids)$/.test(key))),
      ).toEqual({
        'nflab.run_id': id,
        'nflab.model': 'auto_nhits',
        'nflab.loto': 'loto6',
        'nflab.unique_ids': 'N1,N2',
      });

      // Every metric history equal, point by point; B also has the nested numbers (cv.overall.mae).
      const keysA = (a.data.metrics ?? []).map((m) => m.key).sort();
      expect(keysA).toEqual(['learning_rate', 'train_loss', 'valid_loss']);
      for (const key of keysA) {
        const fromA = await history(readA, mlflowRunId(id), key);
        expect(fromA.length, key).toBeGreaterThan(1);
        expect(await history((path) => getB(b, path), remoteId, key), key).toEqual(fromA);
      }
      const mae = await history((path) => getB(b, path), remoteId, 'cv.overall.mae');
      expect(mae).toEqual([{ key: 'cv.overall.mae', value: 5.25, timestamp: there.info.end_time, step: 0 }]);

      // The saved model and the report, byte for byte.
      const artifactPath = `0/${remoteId}/artifacts`;
      const listed = (await getB(b, `/api/2.0/mlflow-artifacts/artifacts?path=${artifactPath}`)) as {
        files: { path: string; is_dir: boolean }[];
      };
      expect(listed.files.map((f) => f.path)).toEqual(
        id === runIds[0] ? ['model', 'model-card', 'reports'] : ['model', 'reports'],
      );
      if (id === runIds[0])
        expect(
          (
            (await getB(
              b,
              `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/model-card/nhits-export-v1.md`,
            )) as Buffer
          ).toString(),
        ).toContain('# Model card: nhits-export version 1');
      expect(await getB(b, `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/model/weights.bin`)).toEqual(
        MODEL_BYTES,
      );
      expect(
        (
          (await getB(
            b,
            `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/reports/report-${runIds.indexOf(id) + 1}.html`,
          )) as Buffer
        ).toString(),
      ).toBe(REPORT_HTML);
    }

    // The sweep's runs are found on B by its tag, as on A.
    const found = (await (
      await fetch(`${b.url}${API}/runs/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${b.viewerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ experiment_ids: ['0'], filter: `tags.\`nflab.sweep_id\` = '${sweepId}'` }),
      })
    ).json()) as { runs?: RunMessage[] };
    expect(found.runs?.map((r) => r.info.status).sort()).toEqual(['FAILED', 'FINISHED']);
  }, 120_000);

  test('an attempt cut off after the run was created retries into that same MLflow run; nothing doubles', async () => {
    const { runIds } = await insertSweepRuns(dbA, rootA, [
      { sink: 'mlflow', experiment_name: 'loto nightly' },
    ]);
    const id = runIds[0]!;
    // The connection drops when the run's final status is sent: everything else already arrived.
    const cutOff: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/runs/update')) throw new TypeError('socket hang up');
      return fetch(input, init);
    };
    const [first] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      runId: id,
      fetch: cutOff,
    });
    expect(first).toMatchObject({ ok: false, retryInSeconds: 30 });
    const created = (
      await dbA.query<{ mlflow_run_id: string }>('SELECT mlflow_run_id FROM nf_model_runs WHERE id = $1', [
        id,
      ])
    ).rows[0]!.mlflow_run_id;
    const partial = ((await getB(b, `${API}/runs/get?run_id=${created}`)) as { run: RunMessage }).run;
    expect(partial.info.status).toBe('RUNNING');
    const before = await history((path) => getB(b, path), created, 'train_loss');
    expect(before).toHaveLength(1200);

    await dbA.query(`UPDATE nf_run_exports SET next_attempt_at = now() WHERE run_id = $1`, [id]);
    const [second] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      runId: id,
    });
    expect(second).toMatchObject({ ok: true, externalId: created });
    expect(second!.ok && second!.externalUrl).toMatch(
      new RegExp(`/#/experiments/[1-9]\\d*/runs/${created}$`),
    );
    const done = ((await getB(b, `${API}/runs/get?run_id=${created}`)) as { run: RunMessage }).run;
    expect(done.info.status).toBe('FINISHED');
    expect(await history((path) => getB(b, path), created, 'train_loss')).toEqual(before);
    const runsOnB = await dbB.query(
      `SELECT count(*)::int AS n FROM nf_run_tags WHERE key = 'nflab.run_id' AND value = $1`,
      [id],
    );
    expect(runsOnB.rows).toEqual([{ n: 1 }]);
  }, 120_000);

  test('B down: the attempt fails and is due again later; once B is back the retry exports it', async () => {
    const { runIds } = await insertSweepRuns(dbA, rootA, ['mlflow']);
    const id = runIds[0]!;
    const down = { mlflow: { trackingUri: 'http://127.0.0.1:9', token: b.editorToken } };
    const [outcome] = await exportDueRuns({ db: dbA, artifactRoot: rootA, credentials: down, runId: id });
    expect(outcome).toMatchObject({ ok: false, retryInSeconds: 30 });
    const [waiting] = await listRunExports(dbA, id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting!.last_error).toMatch(/^MLflow at http:\/\/127\.0\.0\.1:9 did not answer/);
    expect(waiting!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet: the next pass leaves it alone.
    expect(
      await exportDueRuns({ db: dbA, artifactRoot: rootA, credentials: credentials(), runId: id }),
    ).toEqual([]);
    await dbA.query(`UPDATE nf_run_exports SET next_attempt_at = now() WHERE run_id = $1`, [id]);
    const [later] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      runId: id,
    });
    expect(later).toMatchObject({ ok: true });
    expect(await listRunExports(dbA, id)).toMatchObject([
      { status: 'exported', attempts: 2, last_error: null },
    ]);
  }, 120_000);

  test('B refusing (a viewer’s token) fails the export at once with MLflow’s message; the run stays finished', async () => {
    const { runIds } = await insertSweepRuns(dbA, rootA, ['mlflow']);
    const id = runIds[0]!;
    const [outcome] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(b.viewerToken),
      runId: id,
    });
    expect(outcome).toMatchObject({ ok: false, retryInSeconds: null });
    const [row] = await listRunExports(dbA, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.last_error).toBe(
      'MLflow answered 403 PERMISSION_DENIED to POST /api/2.0/mlflow/runs/create: this needs the editor role; you are signed in as viewer',
    );
    expect((await dbA.query('SELECT status FROM nf_model_runs WHERE id = $1', [id])).rows).toEqual([
      { status: 'finished' },
    ]);
    // GET /api/runs/:id/exports shows it, and the retry route makes it due again.
    const viewer = await signIn(dbA, 'viewer');
    const shown = await labA.inject({ url: `/api/runs/${id}/exports`, headers: { cookie: viewer.cookie } });
    expect(shown.json()).toMatchObject({
      exports: [{ sink: 'mlflow', status: 'failed', last_error: row!.last_error }],
    });
    const editor = await signIn(dbA, 'editor');
    const retried = await labA.inject({
      method: 'POST',
      url: `/api/runs/${id}/exports/retry`,
      headers: { origin: SAME_ORIGIN, cookie: editor.cookie },
    });
    expect(retried.json()).toEqual({ retried: 1 });
    const [again] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      runId: id,
    });
    expect(again).toMatchObject({ ok: true });
  }, 120_000);

  test('a spec naming another MLflow server is refused: credentials never go where a spec points', async () => {
    const { runIds } = await insertSweepRuns(dbA, rootA, [
      { sink: 'mlflow', tracking_uri: 'http://elsewhere.example:5000' },
    ]);
    const [outcome] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      runId: runIds[0]!,
    });
    expect(outcome).toMatchObject({ ok: false, retryInSeconds: null });
    expect(outcome!.ok || outcome!.error).toMatch(
      /asks for the MLflow server http:\/\/elsewhere\.example:5000/,
    );
  }, 120_000);

  test('an artifact row naming a file outside the artifact folder is not uploaded', async () => {
    const { runIds } = await insertSweepRuns(dbA, rootA, ['mlflow']);
    const id = runIds[0]!;
    await dbA.query(`INSERT INTO nf_artifacts (run_id, path, kind) VALUES ($1, '/etc/passwd', 'model')`, [
      id,
    ]);
    const [outcome] = await exportDueRuns({
      db: dbA,
      artifactRoot: rootA,
      credentials: credentials(),
      runId: id,
    });
    expect(outcome!.ok || outcome!.error).toMatch(
      /artifact file "\/etc\/passwd" is outside the lab's artifact folder/,
    );
    // Retried like an unreachable server: a lab process whose artifact folder holds the run's files
    // (a worker on another machine) may claim it next; after the attempts run out it is given up.
    expect(outcome).toMatchObject({ ok: false, retryInSeconds: 30 });
  }, 120_000);

  test('the server exports on its timer and counts nflab_run_exports_total{sink="mlflow"}', async () => {
    const token = 'metrics-token-for-the-export-test';
    const server = await buildServer({
      db: dbA,
      artifactRoot: rootA,
      monitorIntervalMs: false,
      exportIntervalMs: 50,
      exportCredentials: credentials(),
      metricsToken: token,
    });
    try {
      await server.ready();
      const { runIds } = await insertSweepRuns(dbA, rootA, ['mlflow']);
      for (let i = 0; i < 200; i += 1) {
        const rows = await Promise.all(runIds.map((id) => listRunExports(dbA, id)));
        if (rows.every(([row]) => row?.status === 'exported')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const scrape = await server.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(scrape.body).toContain('nflab_run_exports_total{sink="mlflow",outcome="exported"} 2');
    } finally {
      await server.close();
    }
  }, 120_000);
});
