import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { AUDIT_ACTIONS, type AuditEntryDto } from '@nflab/contracts';
import { importFile } from '@nflab/store';
import { openTestDb, seedEnsembleMembers, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { createUser } from '../src/auth/users.js';
import { seedRuns } from './seed-runs.js';
import { SAME_ORIGIN, signIn, type SignedIn } from './sign-in.js';

const LOTO6 = new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const RUN = { loto: 'loto6', unique_ids: ['N1'], model: 'nhits', config: { input_size: 8 }, max_steps: 5 };

interface JsonLine {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entity: string;
  readonly entity_id: string | null;
  readonly client_address: string | null;
  readonly outcome: string;
  readonly details: Record<string, unknown>;
}

describe.each(await testDbKinds())('audit log on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let dir: string;
  let auditFile: string;
  let admin: SignedIn;
  let editor: SignedIn;
  let viewer: SignedIn;
  const checked = new Set<string>();

  /** Sends a request as `who` (a signed-in user, or nobody) from `address`. */
  const send = (
    who: SignedIn | undefined,
    options: InjectOptions & { readonly address?: string },
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      ...options,
      remoteAddress: options.address ?? '192.0.2.10',
      headers: {
        ...options.headers,
        ...(who === undefined ? {} : { cookie: who.cookie, origin: SAME_ORIGIN }),
      },
    });

  const lines = async (): Promise<JsonLine[]> =>
    (await readFile(auditFile, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as JsonLine);

  /** The newest row and jsonl line of `action` agree and say who, what, from where and how it ended. */
  const expectAudited = async (
    action: string,
    expected: { actor: string; entityId?: string | null; outcome?: string; address?: string },
  ): Promise<{ row: AuditEntryDto; line: JsonLine }> => {
    const { rows } = await db.query<{
      id: number;
      actor: string;
      entity_id: string | null;
      outcome: string;
      client_address: string | null;
      details: Record<string, unknown>;
    }>(
      'SELECT id, actor, entity_id, outcome, client_address, details FROM nf_audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1',
      [action],
    );
    const row = rows[0];
    const want = {
      actor: expected.actor,
      outcome: expected.outcome ?? 'success',
      client_address: expected.address ?? '192.0.2.10',
      ...(expected.entityId === undefined ? {} : { entity_id: expected.entityId }),
    };
    expect(row, action).toMatchObject(want);
    const line = (await lines()).filter((l) => l.action === action).at(-1);
    expect(line, action).toMatchObject(want);
    expect(Number.isNaN(Date.parse(line?.at ?? '')), action).toBe(false);
    checked.add(action);
    return { row: row as unknown as AuditEntryDto, line: line as JsonLine };
  };

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    dir = await mkdtemp(join(tmpdir(), 'nflab-audit-'));
    auditFile = join(dir, 'home', 'audit.jsonl');
    await mkdir(join(dir, 'artifacts', 'model'), { recursive: true });
    await writeFile(join(dir, 'artifacts', 'model', 'weights.bin'), 'bytes');
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db, auditFile, artifactRoot: join(dir, 'artifacts') });
    admin = await signIn(db, 'admin');
    editor = await signIn(db, 'editor');
    viewer = await signIn(db, 'viewer');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('sign-in success and failure are audited with the name tried, the reason and the address', async () => {
    await createUser(db, { username: 'dora', password: 'password-123', role: 'viewer' });
    const login = (username: string, password: string, address: string) =>
      send(undefined, { method: 'POST', url: '/api/auth/login', payload: { username, password }, address });

    expect((await login('dora', 'wrong-pass', '198.51.100.1')).statusCode).toBe(401);
    const wrong = await expectAudited('auth.login', {
      actor: 'dora',
      outcome: 'failure',
      address: '198.51.100.1',
    });
    expect(wrong.line.details).toMatchObject({ reason: 'wrong password' });
    expect(JSON.stringify(wrong.line)).not.toContain('wrong-pass');

    expect((await login('nobody', 'whatever1', '198.51.100.2')).statusCode).toBe(401);
    const unknown = await expectAudited('auth.login', {
      actor: 'nobody',
      outcome: 'failure',
      entityId: null,
      address: '198.51.100.2',
    });
    expect(unknown.row.details).toMatchObject({ reason: 'unknown user' });

    const ok = await login('dora', 'password-123', '198.51.100.3');
    expect(ok.statusCode).toBe(200);
    await expectAudited('auth.login', {
      actor: 'dora',
      entityId: ok.json().user.id,
      address: '198.51.100.3',
    });
    const cookie = ok.cookies.find((c) => c.name === 'nflab_session');
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      remoteAddress: '198.51.100.3',
      headers: { cookie: `nflab_session=${cookie?.value ?? ''}`, origin: SAME_ORIGIN },
    });
    expect(out.statusCode).toBe(204);
    await expectAudited('auth.logout', { actor: 'dora', address: '198.51.100.3' });
  });

  test('user and token changes are audited; a password never is', async () => {
    const created = await send(admin, {
      method: 'POST',
      url: '/api/users',
      payload: { username: 'erin', password: 'erin-secret-1', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const erin = created.json().id as string;
    const made = await expectAudited('user.create', { actor: admin.username, entityId: erin });
    expect(made.line.details).toMatchObject({ username: 'erin', role: 'viewer' });

    const patched = await send(admin, {
      method: 'PATCH',
      url: `/api/users/${erin}`,
      payload: { role: 'editor', password: 'erin-secret-2' },
    });
    expect(patched.statusCode).toBe(200);
    const changed = await expectAudited('user.update', { actor: admin.username, entityId: erin });
    expect(changed.line.details).toMatchObject({ role: 'editor', password_changed: true });
    expect(JSON.stringify(await lines())).not.toContain('erin-secret');

    const token = await send(viewer, { method: 'POST', url: '/api/auth/tokens', payload: { name: 'ci' } });
    expect(token.statusCode).toBe(201);
    const tokenId = token.json().id as string;
    const issued = await expectAudited('token.create', { actor: viewer.username, entityId: tokenId });
    expect(JSON.stringify(issued.line)).not.toContain(token.json().token);
    expect((await send(viewer, { method: 'DELETE', url: `/api/auth/tokens/${tokenId}` })).statusCode).toBe(
      204,
    );
    await expectAudited('token.revoke', { actor: viewer.username, entityId: tokenId });
  });

  test('starting, cancelling, tagging and resuming work, model operations and promotion are audited', async () => {
    const post = (url: string, payload: object = {}) => send(editor, { method: 'POST', url, payload });
    const { runId } = (await post('/api/runs', { spec: RUN })).json();
    await expectAudited('run.start', { actor: editor.username, entityId: runId });
    expect((await post(`/api/runs/${runId}/cancel`)).statusCode).toBe(200);
    await expectAudited('run.cancel', { actor: editor.username, entityId: runId });
    const tagged = await send(editor, {
      method: 'PATCH',
      url: `/api/runs/${runId}/tags`,
      payload: { set: { phase: 'audit' } },
    });
    expect(tagged.statusCode, tagged.body).toBe(200);
    await expectAudited('run.tag', { actor: editor.username, entityId: runId });

    const sweep = await post('/api/sweeps', { spec: { ...RUN, h: [1, 2] } });
    expect(sweep.statusCode, sweep.body).toBe(201);
    const { sweepId } = sweep.json();
    expect(
      (await expectAudited('sweep.start', { actor: editor.username, entityId: sweepId })).line.details,
    ).toMatchObject({ runs: 2 });
    expect((await post(`/api/sweeps/${sweepId}/cancel`)).statusCode).toBe(200);
    await expectAudited('sweep.cancel', { actor: editor.username, entityId: sweepId });
    expect((await post(`/api/sweeps/${sweepId}/resume`)).statusCode).toBe(200);
    await expectAudited('sweep.resume', { actor: editor.username, entityId: sweepId });

    const { runId: parent } = (await post('/api/runs', { spec: RUN })).json();
    await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [parent]);
    await db.query(
      `UPDATE nf_model_runs SET status = 'finished', end_time = now(), best_params = '{}',
         model_properties = '{"modelDir": "/nowhere/model"}' WHERE id = $1`,
      [parent],
    );
    for (const [operation, body] of [
      ['predict', {}],
      ['refit', {}],
      ['cv', { n_windows: 2, step_size: 1, refit: false }],
      ['importance', { method: 'permutation' }],
    ] as const) {
      const response = await post(`/api/runs/${parent}/${operation}`, body);
      expect(response.statusCode, response.body).toBe(201);
      const { line } = await expectAudited(`run.${operation}`, { actor: editor.username, entityId: parent });
      expect(line.details).toMatchObject({ child_run_id: response.json().runId });
    }
    expect((await post(`/api/runs/${parent}/promote`, { stage: 'staging' })).statusCode).toBe(200);
    const promoted = await expectAudited('model.promote', { actor: editor.username, entityId: parent });
    expect(promoted.line.details).toMatchObject({ stage: 'staging' });

    const { memberIds } = await seedEnsembleMembers(db);
    const ensemble = await post('/api/ensembles', { members: memberIds.slice(0, 2), method: 'median' });
    expect(ensemble.statusCode, ensemble.body).toBe(201);
    const combined = await expectAudited('run.ensemble', {
      actor: editor.username,
      entityId: ensemble.json().runId,
    });
    expect(combined.line.details).toMatchObject({ members: memberIds.slice(0, 2), method: 'median' });
  });

  test('an artifact download is audited with its run and path', async () => {
    const seeded = await seedRuns(db);
    const [id] = seeded.runIds;
    const artifacts = (await send(viewer, { url: `/api/runs/${id}/artifacts` })).json();
    const download = await send(viewer, { url: `/api/runs/${id}/artifacts/${artifacts[0].id}/download` });
    expect(download.statusCode).toBe(200);
    const { line } = await expectAudited('artifact.download', {
      actor: viewer.username,
      entityId: String(artifacts[0].id),
    });
    expect(line.details).toMatchObject({ run_id: id, path: 'model/weights.bin' });
  });

  test('GET /api/audit: 401 anonymous, 403 below admin, 400 naming the field, filters for admins', async () => {
    expect((await send(undefined, { url: '/api/audit' })).statusCode).toBe(401);
    for (const who of [viewer, editor]) {
      const forbidden = await send(who, { url: '/api/audit?action=auth.login', address: '203.0.113.9' });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().error.code).toBe('forbidden');
      await expectAudited('access.denied', {
        actor: who.username,
        entityId: 'GET /api/audit',
        outcome: 'denied',
        address: '203.0.113.9',
      });
    }
    for (const [query, field] of [
      ['since=yesterday', 'query.since'],
      ['since=0000-01-01', 'query.since'],
      ['limit=0', 'query.limit'],
      ['limit=100000', 'query.limit'],
      ['action=run.explode', 'query.action'],
      ['color=red', 'query'],
    ] as const) {
      const bad = await send(admin, { url: `/api/audit?${query}` });
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json().error.issues[0].path, query).toBe(field);
    }
    const all = await send(admin, { url: '/api/audit' });
    expect(all.statusCode).toBe(200);
    const items = all.json().items as AuditEntryDto[];
    expect(items.length).toBeGreaterThan(10);
    const ats = items.map((item) => Date.parse(item.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));

    const failures = (await send(admin, { url: '/api/audit?action=auth.login&user=dora' })).json()
      .items as AuditEntryDto[];
    expect(failures.map((item) => item.outcome).sort()).toEqual(['failure', 'success']);
    const limited = (await send(admin, { url: '/api/audit?limit=2' })).json().items;
    expect(limited).toHaveLength(2);
    const future = (await send(admin, { url: '/api/audit?since=2999-01-01T00:00:00Z' })).json().items;
    expect(future).toEqual([]);
    expect((await send(admin, { url: '/api/audit?since=2000-01-01' })).json().items.length).toBe(
      items.length,
    );
  });

  test('every audited action of the server was checked above, except the CLI-only, lockout and scrape ones', () => {
    // metrics.scrape (a refused scrape of /metrics) is checked in metrics.test.ts; data.drift_check
    // and run.anomalies (with the table and run they need) in drift-routes.test.ts; monitor.alert
    // (written by the scheduler) in monitors.test.ts; monitor.create/run/delete (with the table a
    // monitor needs) in monitor-routes.test.ts; the MLflow API's experiment, external-run and
    // artifact-upload entries in mlflow-routes.test.ts; run.export_retry in run-exports-routes.test.ts;
    // report.create and report.download (with the runs a report needs) in report-routes.test.ts;
    // the registry's stage and alias moves in model-registry-routes.test.ts, and its MLflow-side
    // creations, renames and deletions in mlflow-registry-routes.test.ts.
    const elsewhere = [
      'auth.lockout',
      'data.import',
      'metrics.scrape',
      'data.drift_check',
      'run.anomalies',
      'monitor.create',
      'monitor.delete',
      'monitor.alert',
      'monitor.run',
      'run.export_retry',
      'report.create',
      'report.download',
      'experiment.create',
      'experiment.delete',
      'experiment.restore',
      'run.create',
      'run.delete',
      'run.restore',
      'artifact.upload',
      'model.create',
      'model.rename',
      'model.delete',
      'model.version_create',
      'model.version_delete',
      'model.stage',
      'model.alias',
      'model.alias_delete',
    ];
    expect([...checked].sort()).toEqual(AUDIT_ACTIONS.filter((a) => !elsewhere.includes(a)).sort());
  });
});
