/**
 * The monitor routes over real databases: a monitor defined, listed, shown, run now (drift found,
 * alert counted, audited and posted to its webhook — a local receiver — as a scheduled alert is;
 * a receiver that is down does not fail the run now) and removed over the API, and the lab's answers to anonymous callers,
 * weak roles, bad input, schedules firing too often and unknown monitors.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { MONITOR_LIMITS } from '@nflab/contracts';
import { listAuditEntries, saveDraws, synthesizeDraws } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { drifting } from './drifting-draws.js';
import { parseSamples, sampleValue } from './prom-text.js';
import { injectAs, signIn, type SignedIn } from './sign-in.js';

const TOKEN = 'test-scrape-token-monitor-routes-01';
const TABLE = 'nf_loto_monitor_api';

const DEFINITION = {
  name: 'api-watch',
  table: TABLE,
  cron: '0 6 * * 1',
  current_draws: 200,
  reference_draws: 200,
  columns: ['y'],
  thresholds: { p_value: 0.01, p_adjust: 'holm' },
  webhook_url: 'https://hooks.example.org/services/T000/SECRET',
};

/** A local webhook receiver keeping every JSON body; its path is a secret, like a chat hook's. */
const webhookReceiver = async (): Promise<{ url: string; bodies: unknown[]; server: Server }> => {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/SECRET`, bodies, server };
};

describe.each(await testDbKinds())('monitor routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let viewer: SignedIn;
  let editor: SignedIn;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;

  const send = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    who: SignedIn | undefined,
    body?: unknown,
  ): Promise<LightMyRequestResponse> => injectAs(app, who, { method, url, payload: body });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    const draws = synthesizeDraws({ game: 'loto6', draws: 400, seed: 11, start: '2015-01-01' });
    await saveDraws(db, { table: TABLE, draws: drifting(draws) });
    // No scheduler: the test decides when a monitor runs.
    app = await buildServer({ db, webRoot: false, metricsToken: TOKEN, monitorIntervalMs: false });
    viewer = await signIn(db, 'viewer');
    editor = await signIn(db, 'editor');
    hook = await webhookReceiver();
  }, 120_000);
  afterAll(async () => {
    hook?.server.close();
    await app?.close();
    await db?.close();
  });

  test('an editor defines a monitor, runs it now (drift: alert counted and audited), a viewer reads it, the editor removes it', async () => {
    const created = await send('POST', '/api/monitors', editor, { ...DEFINITION, webhook_url: hook.url });
    expect(created.statusCode, created.body).toBe(201);
    const monitor = created.json();
    expect(monitor).toMatchObject({
      name: 'api-watch',
      table: TABLE,
      loto: 'loto6',
      cron: '0 6 * * 1',
      columns: ['y'],
      current_draws: 200,
      reference_draws: 200,
      thresholds: { p_value: 0.01, psi: null, p_adjust: 'holm' },
      webhook_host: new URL(hook.url).host,
      created_by: editor.username,
      last_run: null,
    });
    // The webhook's path is its secret: viewers never read it.
    expect(created.body).not.toContain('SECRET');
    expect(new Date(monitor.next_run_at).getUTCDay()).toBe(1);

    const ran = await send('POST', '/api/monitors/api-watch/run', editor);
    expect(ran.statusCode, ran.body).toBe(200);
    const { run, check } = ran.json();
    expect(run.status).toBe('alert');
    expect(run.check_id).toBe(check.checkId);
    expect(run.drifted).toContainEqual({ unique_id: null, column: 'numbers' });
    expect(check.uniformity.drifted).toBe(true);
    // The alert reached the webhook before the answer, as a scheduled one does.
    expect(hook.bodies).toEqual([
      expect.objectContaining({
        type: 'monitor-alert',
        monitor: 'api-watch',
        table_name: TABLE,
        loto: 'loto6',
        check_id: run.check_id,
        drifted: expect.arrayContaining([{ unique_id: null, column: 'numbers' }]),
      }),
    ]);
    expect(String((hook.bodies[0] as { monitor_run_id: unknown }).monitor_run_id)).toBe(String(run.id));

    const scrape = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(
      sampleValue(parseSamples(scrape.body), 'nflab_monitor_alerts_total', { monitor: 'api-watch' }),
    ).toBe(1);
    const [ranEntry] = await listAuditEntries(db, { action: 'monitor.run', limit: 1 });
    expect(ranEntry).toMatchObject({
      actor: editor.username,
      entity: 'monitor',
      entity_id: 'api-watch',
      details: { monitor_run_id: run.id, status: 'alert', check_id: run.check_id, webhook: 'delivered' },
    });
    const [alertEntry] = await listAuditEntries(db, { action: 'monitor.alert', limit: 1 });
    expect(alertEntry).toMatchObject({ actor: editor.username, details: { monitor_run_id: run.id } });

    const list = await send('GET', '/api/monitors', viewer);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ name: 'api-watch', last_run: expect.objectContaining({ id: run.id }) }),
    ]);
    const detail = await send('GET', '/api/monitors/api-watch', viewer);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      runs: [{ id: run.id }],
      alerts: [{ id: run.id, status: 'alert' }],
    });
    const runs = await send('GET', '/api/monitors/api-watch/runs?status=ok&limit=5', viewer);
    expect(runs.statusCode, runs.body).toBe(200);
    expect(runs.json()).toEqual({ items: [] });

    const removed = await send('DELETE', '/api/monitors/api-watch', editor);
    expect(removed.statusCode, removed.body).toBe(204);
    const [deleted] = await listAuditEntries(db, { action: 'monitor.delete', limit: 1 });
    expect(deleted).toMatchObject({ actor: editor.username, entity_id: 'api-watch' });
    const [createdEntry] = await listAuditEntries(db, { action: 'monitor.create', limit: 1 });
    expect(createdEntry).toMatchObject({
      actor: editor.username,
      entity_id: 'api-watch',
      details: { table_name: TABLE, loto: 'loto6', cron: '0 6 * * 1' },
    });
    expect((await send('GET', '/api/monitors/api-watch', viewer)).statusCode).toBe(404);
  });

  test('a run now whose webhook is down still answers with its alert; the audit says the delivery failed', async () => {
    const down = { ...DEFINITION, name: 'down-hook', webhook_url: 'http://127.0.0.1:1/hook' };
    expect((await send('POST', '/api/monitors', editor, down)).statusCode).toBe(201);
    const ran = await send('POST', '/api/monitors/down-hook/run', editor);
    expect(ran.statusCode, ran.body).toBe(200);
    expect(ran.json().run.status).toBe('alert');
    const [entry] = await listAuditEntries(db, { action: 'monitor.run', limit: 1 });
    expect(entry).toMatchObject({ entity_id: 'down-hook', details: { status: 'alert', webhook: 'failed' } });
    expect((await send('DELETE', '/api/monitors/down-hook', editor)).statusCode).toBe(204);
  });

  test('401 without a session on every route; a viewer reads but may not define, run or remove (403)', async () => {
    const routes = [
      ['GET', '/api/monitors'],
      ['POST', '/api/monitors'],
      ['GET', '/api/monitors/any'],
      ['GET', '/api/monitors/any/runs'],
      ['POST', '/api/monitors/any/run'],
      ['DELETE', '/api/monitors/any'],
    ] as const;
    for (const [method, url] of routes) {
      const response = await send(method, url, undefined, method === 'POST' ? {} : undefined);
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
    for (const [method, url] of routes.filter(([method]) => method !== 'GET')) {
      const response = await send(method, url, viewer, method === 'POST' ? DEFINITION : undefined);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    expect((await send('GET', '/api/monitors', viewer)).statusCode).toBe(200);
  });

  test('bad input is 400 naming the field and what is allowed', async () => {
    for (const [body, path, hint] of [
      [{ ...DEFINITION, name: 'has space' }, 'body.name', 'letters, digits'],
      [{ ...DEFINITION, cron: 'every day' }, 'body.cron', 'not a cron schedule'],
      [{ ...DEFINITION, cron: '* * * * * *' }, 'body.cron', 'MONITOR_LIMITS.minIntervalSeconds'],
      [{ ...DEFINITION, current_draws: 1 }, 'body.current_draws', 'at least 2'],
      [
        { ...DEFINITION, reference_draws: MONITOR_LIMITS.maxDraws + 1 },
        'body.reference_draws',
        'MONITOR_LIMITS.maxDraws',
      ],
      [{ ...DEFINITION, thresholds: { p_value: 2 } }, 'body.thresholds.p_value', ''],
      [{ ...DEFINITION, webhook_url: 'ftp://example.org/x' }, 'body.webhook_url', 'http or https'],
      [{ ...DEFINITION, retrain_run_id: 'run-1' }, 'body.retrain_run_id', ''],
      [{ ...DEFINITION, columns: ['y; DROP TABLE x'] }, 'body.columns[0]', 'column name'],
      [{ ...DEFINITION, every: 'day' }, 'body', ''],
    ] as const) {
      const response = await send('POST', '/api/monitors', editor, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const issue = response.json().error.issues.find((i: { path: string }) => i.path === path) as
        { message: string } | undefined;
      expect(issue, `${path} in ${response.body}`).toBeDefined();
      expect(issue!.message).toContain(hint);
    }
    const game = await send('POST', '/api/monitors', editor, { ...DEFINITION, loto: 'loto7' });
    expect(game.statusCode, game.body).toBe(400);
    expect(game.json().error.message).toContain(`${TABLE} holds no rows of loto loto7 (games: loto6)`);
    const limit = await send('GET', `/api/monitors/x/runs?limit=${MONITOR_LIMITS.maxRunsListed + 1}`, viewer);
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.issues[0].path).toBe('query.limit');
    expect((await send('GET', '/api/monitors/bad%20name', viewer)).statusCode).toBe(400);
  });

  test('an unknown monitor is 404, a taken name 409, an unknown or lab table 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/monitors/nothing'],
      ['GET', '/api/monitors/nothing/runs'],
      ['POST', '/api/monitors/nothing/run'],
      ['DELETE', '/api/monitors/nothing'],
    ] as const) {
      const response = await send(method, url, editor);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.message).toContain('monitor "nothing" does not exist');
    }
    const first = await send('POST', '/api/monitors', editor, { ...DEFINITION, name: 'taken' });
    expect(first.statusCode, first.body).toBe(201);
    const again = await send('POST', '/api/monitors', editor, { ...DEFINITION, name: 'taken' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('monitor "taken" already exists');
    for (const table of ['nf_loto_missing', 'nf_model_runs']) {
      const response = await send('POST', '/api/monitors', editor, { ...DEFINITION, name: 'other', table });
      expect(response.statusCode, `${table}: ${response.body}`).toBe(404);
    }
  });
});
