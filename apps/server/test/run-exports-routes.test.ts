/**
 * A run's exports over the API: listed for viewers with the tracker's page, retried by editors
 * (audited), and the lab's answers to anonymous callers, viewers retrying, bad ids and unknown runs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { claimDueExports, markExportAttemptFailed, markExported } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { injectAs, signIn, type SignedIn } from './sign-in.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** A run whose spec sends it to W&B twice over (one online, one offline project), ended. */
const endedRun = async (db: TestDb): Promise<string> => {
  const tracking = [
    { sink: 'wandb', project: 'loto', entity: 'team' },
    'postgres',
    // The same sink twice keeps only the first: one export per sink and run.
    { sink: 'wandb', project: 'other', mode: 'offline' },
  ];
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (table_name, loto, model_name, spec) VALUES ('t', 'loto6', 'nhits', $1::jsonb) RETURNING id`,
    [JSON.stringify({ tracking })],
  );
  const id = rows[0]!.id;
  await db.query(`UPDATE nf_model_runs SET status = 'running', start_time = now() WHERE id = $1`, [id]);
  await db.query(`UPDATE nf_model_runs SET status = 'finished', end_time = now() WHERE id = $1`, [id]);
  return id;
};

describe.each(await testDbKinds())('run export routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let viewer: SignedIn;
  let editor: SignedIn;

  const get = (who: SignedIn | undefined, url: string): Promise<LightMyRequestResponse> =>
    injectAs(app, who, { url });
  const retry = (who: SignedIn | undefined, id: string): Promise<LightMyRequestResponse> =>
    injectAs(app, who, { method: 'POST', url: `/api/runs/${id}/exports/retry` });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db, exportIntervalMs: false, monitorIntervalMs: false });
    viewer = await signIn(db, 'viewer');
    editor = await signIn(db, 'editor');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  test('viewers see where each export stands and the run’s page in the tracker', async () => {
    const id = await endedRun(db);
    const waiting = await get(viewer, `/api/runs/${id}/exports`);
    expect(waiting.statusCode).toBe(200);
    expect(waiting.json()).toMatchObject({
      exports: [
        {
          sink: 'wandb',
          status: 'pending',
          attempts: 0,
          options: { project: 'loto', entity: 'team' },
          external_url: null,
        },
      ],
    });
    const [claimed] = await claimDueExports(db, { limit: 1, leaseSeconds: 60, sinks: ['wandb'], runId: id });
    await markExported(db, Number(claimed!.id), {
      external_id: `team/loto/${id}`,
      external_url: `https://wandb.ai/team/loto/runs/${id}`,
    });
    const done = (await get(viewer, `/api/runs/${id}/exports`)).json() as {
      exports: Record<string, unknown>[];
    };
    expect(done.exports[0]).toMatchObject({
      status: 'exported',
      attempts: 1,
      next_attempt_at: null,
      external_id: `team/loto/${id}`,
      external_url: `https://wandb.ai/team/loto/runs/${id}`,
    });
    expect(done.exports[0]?.exported_at).toEqual(expect.any(String));
  });

  test('an editor makes a given-up export due again; the retry is audited', async () => {
    const id = await endedRun(db);
    const [claimed] = await claimDueExports(db, { limit: 1, leaseSeconds: 60, sinks: ['wandb'], runId: id });
    await markExportAttemptFailed(
      db,
      Number(claimed!.id),
      'W&B refused the run: entity team not found',
      null,
    );
    const response = await retry(editor, id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ retried: 1 });
    expect((await get(viewer, `/api/runs/${id}/exports`)).json()).toMatchObject({
      exports: [{ status: 'pending', attempts: 0, last_error: 'W&B refused the run: entity team not found' }],
    });
    const { rows } = await db.query<{ actor: string; entity_id: string; details: unknown }>(
      `SELECT actor, entity_id, details FROM nf_audit_log WHERE action = 'run.export_retry' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ actor: editor.username, entity_id: id, details: { retried: 1 } });
  });

  test('anonymous callers, viewers retrying, bad ids and unknown runs get clear refusals', async () => {
    const id = await endedRun(db);
    expect((await get(undefined, `/api/runs/${id}/exports`)).statusCode).toBe(401);
    expect((await retry(undefined, id)).statusCode).toBe(401);
    expect((await retry(viewer, id)).statusCode).toBe(403);
    const bad = await get(viewer, '/api/runs/not-a-run/exports');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { message: 'path.id: Invalid UUID (got "not-a-run")' } });
    expect((await retry(editor, 'not-a-run')).statusCode).toBe(400);
    expect((await get(viewer, `/api/runs/${UNKNOWN}/exports`)).statusCode).toBe(404);
    expect((await retry(editor, UNKNOWN)).statusCode).toBe(404);
  });
});
