/**
 * Runs with a `wandb` tracking sink reach W&B once they end: the status trigger writes the outbox
 * row in the transaction that ends the run, and exportDueRuns sends config, step history, summary
 * and exit code over W&B's HTTP API. W&B is a SaaS, so a local fake stands in for it and records
 * every request; nothing here was checked against the real service.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { listRunExports, retryRunExports, type Db } from '@nflab/store';
import { openTestDb, testDbKinds, truncateLabTables, type TestDb } from '@nflab/store/testing';
import { exportDueRuns, retryDelaySeconds, RunExporter, wandbRunUrl } from '../../src/index.js';
import { FakeWandb } from './fake-wandb.js';

const kinds = await testDbKinds();

/** Inserts a queued run with `tracking`, three logged steps and metrics; returns its id. */
const insertRun = async (db: Db, tracking: unknown[], extra: { sweep?: boolean } = {}): Promise<string> => {
  const sweepId = extra.sweep
    ? (await db.query<{ id: string }>(`INSERT INTO nf_sweeps (name, spec) VALUES ('s', '{}') RETURNING id`))
        .rows[0]?.id
    : null;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, horizon, spec, seed, metrics,
                                best_params, sweep_id, data_fingerprint, engine_version)
     VALUES ('nf_loto_final', 'loto6', ARRAY['N1','N2'], 'auto_nhits', 1, $1::jsonb, 7, $2::jsonb, $3::jsonb, $4::uuid,
             'fp123', '0.1.0')
     RETURNING id`,
    [
      JSON.stringify({
        model: 'auto_nhits',
        loto: 'loto6',
        horizon: 1,
        max_steps: 3,
        config: { input_size: 12 },
        tracking,
        tags: { phase: 'tuning' },
      }),
      JSON.stringify({ valid_loss: 4.5, cv: { overall: { mae: 5.25, smape: null } }, beats: true }),
      JSON.stringify({ learning_rate: 0.001, hidden: [64, 64] }),
      sweepId,
    ],
  );
  const id = rows[0]!.id;
  await db.query(
    `INSERT INTO nf_step_metrics (run_id, step, train_loss, valid_loss, learning_rate, at)
     SELECT $1::uuid, s, 10.0 / s, CASE WHEN s = 3 THEN 4.5 END, 0.001, now() + make_interval(secs => s)
     FROM generate_series(1, 3) AS s`,
    [id],
  );
  return id;
};

const setStatus = async (db: Db, id: string, status: string): Promise<void> => {
  await db.query(
    `UPDATE nf_model_runs SET status = $2,
        start_time = CASE WHEN $2 = 'running' THEN now() ELSE start_time END,
        end_time = CASE WHEN $2 IN ('finished', 'failed') THEN now() ELSE end_time END,
        error_message = CASE WHEN $2 = 'failed' THEN 'RuntimeError: loss went NaN' ELSE error_message END
      WHERE id = $1`,
    [id, status],
  );
};

const WANDB_SINK = { sink: 'wandb', project: 'loto-lab', entity: 'team' };

test('retry delays double from 30 s and stop at an hour', () => {
  expect([1, 2, 3, 8, 20].map(retryDelaySeconds)).toEqual([30, 60, 120, 3600, 3600]);
});

test("a run's W&B address drops the api. prefix of W&B's API host", () => {
  const run = { entity: 'team', project: 'loto lab', name: 'r1' };
  expect(wandbRunUrl('https://api.wandb.ai', run)).toBe('https://wandb.ai/team/loto%20lab/runs/r1');
  expect(wandbRunUrl('http://wandb.local:8080/', run)).toBe(
    'http://wandb.local:8080/team/loto%20lab/runs/r1',
  );
});

describe.each(kinds)('W&B export on %s', (kind) => {
  let db: TestDb;
  const wandb = new FakeWandb();
  const credentials = () => ({ wandb: { apiKey: 'key-123', baseUrl: wandb.url } });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await wandb.start();
  }, 120_000);
  afterAll(async () => {
    await wandb.stop();
    await db?.close();
  });
  beforeEach(async () => {
    await truncateLabTables(db);
    wandb.received.length = 0;
    wandb.failNext.length = 0;
    wandb.graphqlErrors = [];
  });

  test('the outbox row appears once, when a run with an external sink first ends', async () => {
    const tracked = await insertRun(db, ['postgres', WANDB_SINK]);
    const untracked = await insertRun(db, ['postgres']);
    const neverStarted = await insertRun(db, [WANDB_SINK]);
    expect(await listRunExports(db, tracked)).toEqual([]);
    await setStatus(db, tracked, 'running');
    expect(await listRunExports(db, tracked)).toEqual([]);
    for (const id of [tracked, untracked]) await setStatus(db, id, 'running');
    for (const id of [tracked, untracked]) await setStatus(db, id, 'finished');
    await setStatus(db, neverStarted, 'cancelled');
    await setStatus(db, tracked, 'failed');
    const rows = await listRunExports(db, tracked);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      sink: 'wandb',
      status: 'pending',
      attempts: 0,
      options: { project: 'loto-lab', entity: 'team' },
    });
    expect(await listRunExports(db, untracked)).toEqual([]);
    expect(await listRunExports(db, neverStarted)).toEqual([]);
  });

  test('without W&B credentials a process claims nothing and the export waits', async () => {
    const id = await insertRun(db, [WANDB_SINK]);
    await setStatus(db, id, 'running');
    await setStatus(db, id, 'finished');
    expect(await exportDueRuns({ db, credentials: {} })).toEqual([]);
    expect(await listRunExports(db, id)).toMatchObject([{ status: 'pending', attempts: 0 }]);
    expect(wandb.received).toEqual([]);
  });

  test('a finished run arrives with its config, step history, summary and exit code 0', async () => {
    const id = await insertRun(db, ['postgres', WANDB_SINK], { sweep: true });
    await setStatus(db, id, 'running');
    await setStatus(db, id, 'finished');
    const outcomes = await exportDueRuns({ db, credentials: credentials() });
    expect(outcomes).toMatchObject([{ ok: true, externalId: `team/loto-lab/${id}` }]);
    expect(
      wandb.received.every(
        (r) => r.authorization === `Basic ${Buffer.from('api:key-123').toString('base64')}`,
      ),
    ).toBe(true);

    const upsert = wandb.received[0]!;
    expect(upsert.path).toBe('/graphql');
    const variables = (upsert.body as { variables: Record<string, unknown> }).variables;
    expect(variables).toMatchObject({
      name: id,
      project: 'loto-lab',
      entity: 'team',
      jobType: 'train',
      tags: ['auto_nhits', 'loto6', 'train'],
    });
    expect(variables.groupName).toMatch(/^[0-9a-f-]{36}$/);
    const config = JSON.parse(variables.config as string) as Record<string, { value: unknown }>;
    expect(config['config.input_size']).toEqual({ value: 12, desc: null });
    expect(config['best.hidden']).toEqual({ value: '[64,64]', desc: null });
    expect(config.seed).toEqual({ value: 7, desc: null });
    expect(config['tags.data_fingerprint']).toEqual({ value: 'fp123', desc: null });
    // The run's own tags (here from its spec) as run_tags.*, not as spec params.
    expect(config['run_tags.phase']).toEqual({ value: 'tuning', desc: null });
    expect(config['tags.phase']).toBeUndefined();
    expect(config.tracking).toBeUndefined();
    expect(JSON.parse(variables.summaryMetrics as string)).toEqual({
      valid_loss: 4.5,
      'cv.overall.mae': 5.25,
    });

    const [history, summary, complete] = wandb.streams();
    expect(wandb.received[1]!.path).toBe(`/files/team/loto-lab/${id}/file_stream`);
    const files = (history as { files: Record<string, { offset: number; content: string[] }> }).files;
    const lines = files['wandb-history.jsonl']!.content.map(
      (line) => JSON.parse(line) as Record<string, number>,
    );
    expect(files['wandb-history.jsonl']!.offset).toBe(0);
    expect(lines.map((l) => [l._step, l.train_loss])).toEqual([
      [1, 10],
      [2, 5],
      [3, 10 / 3],
    ]);
    expect(lines[2]).toMatchObject({ valid_loss: 4.5, learning_rate: 0.001 });
    expect(lines[0]).not.toHaveProperty('valid_loss');
    const summaryFile = (summary as { files: Record<string, { offset: number; content: string[] }> }).files[
      'wandb-summary.json'
    ];
    expect(summaryFile?.offset).toBe(0);
    expect(summaryFile?.content.map((text) => JSON.parse(text) as unknown)).toEqual([
      { valid_loss: 4.5, 'cv.overall.mae': 5.25 },
    ]);
    expect(complete).toEqual({ complete: true, exitcode: 0 });

    expect(await listRunExports(db, id)).toMatchObject([
      {
        status: 'exported',
        attempts: 1,
        external_id: `team/loto-lab/${id}`,
        external_url: `${wandb.url}/team/loto-lab/runs/${id}`,
        last_error: null,
      },
    ]);
    // Exported is done: nothing is claimed again.
    expect(await exportDueRuns({ db, credentials: credentials() })).toEqual([]);
  });

  test('W&B being down costs a retry later, on the same W&B run; the run itself stays finished', async () => {
    const id = await insertRun(db, [WANDB_SINK]);
    await setStatus(db, id, 'running');
    await setStatus(db, id, 'finished');
    wandb.failNext.push(503);
    const [first] = await exportDueRuns({ db, credentials: credentials() });
    expect(first).toMatchObject({ ok: false, retryInSeconds: 30 });
    expect(first?.ok === false && first.error).toMatch(/W&B answered 503 to POST \/graphql: try later/);
    const [row] = await listRunExports(db, id);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringMatching(/503/) as string,
    });
    expect(row!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet.
    expect(await exportDueRuns({ db, credentials: credentials() })).toEqual([]);
    await db.query(`UPDATE nf_run_exports SET next_attempt_at = now() WHERE run_id = $1`, [id]);
    expect(await exportDueRuns({ db, credentials: credentials() })).toMatchObject([{ ok: true }]);
    const names = wandb.received
      .filter((r) => r.path === '/graphql')
      .map((r) => (r.body as { variables: { name: string } }).variables.name);
    expect(names).toEqual([id, id]);
    const { rows } = await db.query<{ status: string }>('SELECT status FROM nf_model_runs WHERE id = $1', [
      id,
    ]);
    expect(rows[0]?.status).toBe('finished');
  });

  test('a refusal no retry can fix fails the export at once with W&B’s message; retry makes it due again', async () => {
    const id = await insertRun(db, [WANDB_SINK]);
    await setStatus(db, id, 'running');
    await setStatus(db, id, 'failed');
    wandb.graphqlErrors = ['entity team not found'];
    expect(await exportDueRuns({ db, credentials: credentials() })).toMatchObject([
      { ok: false, retryInSeconds: null, error: 'W&B refused the run: entity team not found' },
    ]);
    expect(await listRunExports(db, id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    // The attempts used up the same way.
    wandb.graphqlErrors = [];
    expect(await retryRunExports(db, id)).toBe(1);
    expect(await exportDueRuns({ db, credentials: credentials() })).toMatchObject([{ ok: true }]);
    const upserts = wandb.received.filter((r) => r.path === '/graphql');
    expect((upserts.at(-1)!.body as { variables: { notes: string } }).variables.notes).toBe(
      'RuntimeError: loss went NaN',
    );
    expect(wandb.streams().at(-1)).toEqual({ complete: true, exitcode: 1 });
  });

  test('after its last attempt an export is given up', async () => {
    const id = await insertRun(db, [WANDB_SINK]);
    await setStatus(db, id, 'running');
    await setStatus(db, id, 'finished');
    wandb.failNext.push(500, 500);
    await exportDueRuns({ db, credentials: credentials(), maxAttempts: 2 });
    await db.query(`UPDATE nf_run_exports SET next_attempt_at = now()`);
    expect(await exportDueRuns({ db, credentials: credentials(), maxAttempts: 2 })).toMatchObject([
      { ok: false, retryInSeconds: null },
    ]);
    expect(await listRunExports(db, id)).toMatchObject([{ status: 'failed', attempts: 2 }]);
  });

  test('offline exports wait for an explicit sync of their run', async () => {
    const id = await insertRun(db, [{ ...WANDB_SINK, mode: 'offline' }]);
    await setStatus(db, id, 'running');
    await setStatus(db, id, 'finished');
    expect(await exportDueRuns({ db, credentials: credentials() })).toEqual([]);
    expect(await exportDueRuns({ db, credentials: credentials(), runId: id })).toMatchObject([{ ok: true }]);
  });

  test('two exporters on one database send each export once', async () => {
    const ids = await Promise.all([1, 2, 3].map(() => insertRun(db, [WANDB_SINK])));
    for (const id of ids) {
      await setStatus(db, id, 'running');
      await setStatus(db, id, 'finished');
    }
    const [a, b] = await Promise.all([
      exportDueRuns({ db, credentials: credentials(), limit: 2 }),
      exportDueRuns({ db, credentials: credentials(), limit: 2 }),
    ]);
    const exported = [...a!, ...b!].map((o) => o.export.run_id).sort();
    expect(exported).toEqual([...ids].sort());
  });

  test('the RunExporter loop exports what ends while it runs and closes cleanly', async () => {
    const exporter = new RunExporter({ db, credentials: credentials(), intervalMs: 50 });
    exporter.start();
    try {
      const id = await insertRun(db, [WANDB_SINK]);
      await setStatus(db, id, 'running');
      await setStatus(db, id, 'finished');
      await expect
        .poll(async () => (await listRunExports(db, id))[0]?.status, { timeout: 10_000 })
        .toBe('exported');
    } finally {
      await exporter.close();
    }
  });
});
