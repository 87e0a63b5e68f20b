/**
 * `GET /metrics`: off (404 naming the setting) without a scrape token, 401 and audited without the
 * token — whatever other credential is sent — and with it the Prometheus text of the server's own
 * registry: process defaults, requests by matched route pattern, live-event clients, the database
 * pool and statement latency, and queue and training metrics counted from the database rows. And readiness while
 * draining: `/api/ready` turns 503 the moment the server begins to close.
 */
import { mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ConfigError, StoreError } from '@nflab/contracts';
import { readLabMetrics, type Db, type LabMetricsSnapshot } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { createApiToken } from '../src/auth/api-tokens.js';
import { QUEUE_METRICS_BUCKETS } from '../src/metrics/queue-metrics.js';
import { resolveMetricsToken } from '../src/metrics/scrape-token.js';
import { parseSamples, sampleValue, type Sample } from './prom-text.js';
import { seedMetricsRuns, type SeededMetricsRuns } from './seed-metrics-runs.js';
import { signIn, type SignedIn } from './sign-in.js';

const TOKEN = 'test-scrape-token-0123456789abcdef';
const INDEX_HTML = '<!doctype html><div id="root"></div>';
const MISSING_RUN = '00000000-0000-4000-8000-000000000000';

/** Every metric family the lab adds to the process defaults; the pool's only on a PostgreSQL server. */
const LAB_FAMILIES = [
  'nflab_artifact_filesystem_avail_bytes',
  'nflab_artifact_filesystem_size_bytes',
  'nflab_database_up',
  'nflab_db_query_duration_seconds',
  'nflab_http_request_duration_seconds',
  'nflab_http_requests_total',
  'nflab_lost_worker_runs_total',
  'nflab_monitor_alerts_total',
  'nflab_monitor_model_recent_mae',
  'nflab_monitor_model_reference_mae',
  'nflab_queue_wait_seconds',
  'nflab_run_duration_seconds',
  'nflab_run_exports_total',
  'nflab_run_retries_total',
  'nflab_running_run_cpu_ratio',
  'nflab_running_run_last_train_loss',
  'nflab_running_run_last_valid_loss',
  'nflab_running_run_rss_bytes',
  'nflab_runs',
  'nflab_sse_clients',
  'nflab_tracked_run_duration_seconds',
  'nflab_tracked_run_end_timestamp_seconds',
  'nflab_tracked_run_start_timestamp_seconds',
  'nflab_tracked_run_status',
  'nflab_tracked_run_step',
  'nflab_tracked_run_train_loss',
  'nflab_tracked_run_trials',
  'nflab_tracked_run_valid_loss',
  'nflab_trials',
];
const POOL_FAMILIES = [
  'nflab_db_pool_connections',
  'nflab_db_pool_max_connections',
  'nflab_db_pool_waiting_queries',
];

describe('the scrape token setting', () => {
  test('is off unless set, read from NFLAB_METRICS_TOKEN, and refused when short', () => {
    expect(resolveMetricsToken(undefined, {})).toBeUndefined();
    expect(resolveMetricsToken(undefined, { NFLAB_METRICS_TOKEN: '' })).toBeUndefined();
    expect(resolveMetricsToken(undefined, { NFLAB_METRICS_TOKEN: TOKEN })).toBe(TOKEN);
    expect(resolveMetricsToken(false, { NFLAB_METRICS_TOKEN: TOKEN })).toBeUndefined();
    expect(resolveMetricsToken('option-token-0123456789', { NFLAB_METRICS_TOKEN: TOKEN })).toBe(
      'option-token-0123456789',
    );
    for (const bad of ['short', 'has a space in it, long enough'])
      expect(() => resolveMetricsToken(bad, {}), bad).toThrow(ConfigError);
    expect(() => resolveMetricsToken(undefined, { NFLAB_METRICS_TOKEN: 'short' })).toThrow(
      /NFLAB_METRICS_TOKEN: the scrape token must be at least 16 characters/,
    );
  });
});

describe.each(await testDbKinds())('/metrics on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let root: string;
  let viewer: SignedIn;
  let admin: SignedIn;
  let seeded: SeededMetricsRuns;

  const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    app.inject({ url: '/metrics', headers, remoteAddress: '192.0.2.77' });
  const samplesOf = async (): Promise<Sample[]> => {
    const response = await scrape();
    expect(response.statusCode, response.body).toBe(200);
    return parseSamples(response.body);
  };

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    root = await mkdtemp(join(tmpdir(), 'nflab-metrics-'));
    await writeFile(join(root, 'index.html'), INDEX_HTML);
    seeded = await seedMetricsRuns(db);
    app = await buildServer({ db, webRoot: root, metricsToken: TOKEN });
    viewer = await signIn(db, 'viewer');
    admin = await signIn(db, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await rm(root, { recursive: true, force: true });
  });

  test('without a scrape token /metrics is a 404 naming NFLAB_METRICS_TOKEN, never the web page', async () => {
    await expect(buildServer({ db, metricsToken: 'too-short' })).rejects.toThrow(/NFLAB_METRICS_TOKEN/);
    const off = await buildServer({ db, webRoot: root, metricsToken: false });
    try {
      for (const request of [
        { method: 'GET' as const, headers: {} },
        { method: 'GET' as const, headers: { authorization: `Bearer ${TOKEN}` } },
        { method: 'GET' as const, headers: { cookie: admin.cookie } },
        { method: 'HEAD' as const, headers: {} },
      ]) {
        const response = await off.inject({ url: '/metrics', ...request });
        expect(response.statusCode, JSON.stringify(request)).toBe(404);
        expect(response.headers['content-type'], JSON.stringify(request)).toMatch(/^application\/json/);
        if (request.method === 'GET') {
          expect(response.json().error.code).toBe('not_found');
          expect(response.json().error.message).toMatch(/set NFLAB_METRICS_TOKEN/);
        }
      }
      // Other page paths still get the web app: only /metrics left the fallback.
      expect((await off.inject('/runs/anything')).body).toBe(INDEX_HTML);
      const { rows } = await db.query("SELECT 1 FROM nf_audit_log WHERE action = 'metrics.scrape'");
      expect(rows).toHaveLength(0);
    } finally {
      await off.close();
    }
  });

  test('401 without the token, whatever else is sent, and each refusal is audited', async () => {
    const { token: apiToken } = await createApiToken(db, { userId: admin.userId, name: 'admin-cli' });
    const refused: [Record<string, string>, string][] = [
      [{}, 'no bearer token'],
      [{ authorization: `Bearer ${TOKEN}x` }, 'wrong token'],
      [{ authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 'wrong token'],
      [{ authorization: TOKEN }, 'no bearer token'],
      // A signed-in admin or an admin's API token is no scrape token.
      [{ cookie: admin.cookie }, 'no bearer token'],
      [{ authorization: `Bearer ${apiToken}` }, 'wrong token'],
    ];
    for (const [headers, reason] of refused) {
      const response: LightMyRequestResponse = await scrape(headers);
      expect(response.statusCode, reason).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
      expect(response.json().error.message).toMatch(/NFLAB_METRICS_TOKEN/);
      expect(response.body).not.toContain('nflab_');
    }
    expect((await scrape()).statusCode).toBe(200);
    const { rows } = await db.query<{
      actor: string;
      entity: string;
      entity_id: string;
      outcome: string;
      client_address: string;
      details: { reason: string; request_id: string };
    }>(
      `SELECT actor, entity, entity_id, outcome, client_address, details FROM nf_audit_log
       WHERE action = 'metrics.scrape' ORDER BY id`,
    );
    // One entry per refusal and none for the scrape that was let in.
    expect(rows.map((row) => row.details.reason)).toEqual(refused.map(([, reason]) => reason));
    for (const row of rows) {
      expect(row).toMatchObject({
        actor: 'anonymous',
        entity: 'route',
        entity_id: 'GET /metrics',
        outcome: 'failure',
        client_address: '192.0.2.77',
      });
      expect(row.details.request_id).toEqual(expect.any(String));
    }
  });

  test('the token opens the text format 0.0.4: process metrics and requests by matched route pattern', async () => {
    const asViewer = { cookie: viewer.cookie };
    expect((await app.inject({ url: `/api/runs/${seeded.runningId}`, headers: asViewer })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ url: `/api/runs/${MISSING_RUN}`, headers: asViewer })).statusCode).toBe(404);
    expect((await app.inject('/runs/some-deep-link')).statusCode).toBe(200);
    expect((await app.inject('/api/no-such-route')).statusCode).toBe(404);

    const response = await scrape();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseSamples(response.body);
    const families = [...response.body.matchAll(/^# TYPE (nflab_\w+) /gm)].map((match) => match[1]);
    expect(families.sort()).toEqual([...LAB_FAMILIES, ...(kind === 'postgres' ? POOL_FAMILIES : [])].sort());
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(
        samples.some((sample) => sample.name === name),
        name,
      ).toBe(true);

    const requests = (route: string, status: string): number =>
      sampleValue(samples, 'nflab_http_requests_total', { method: 'GET', route, status_code: status });
    expect(requests('/api/runs/:id', '200')).toBe(1);
    expect(requests('/api/runs/:id', '404')).toBe(1);
    expect(requests('unmatched', '200')).toBe(1);
    expect(requests('unmatched', '404')).toBe(1);
    expect(requests('/metrics', '401')).toBeGreaterThanOrEqual(1);
    const durations = { method: 'GET', route: '/api/runs/:id' };
    expect(sampleValue(samples, 'nflab_http_request_duration_seconds_count', durations)).toBe(2);
    expect(
      sampleValue(samples, 'nflab_http_request_duration_seconds_bucket', { ...durations, le: '+Inf' }),
    ).toBe(2);
    // Routes are patterns: no URL's id or path reaches a label.
    const http = samples.filter((sample) => sample.name.startsWith('nflab_http_'));
    for (const sample of http) {
      expect(Object.keys(sample.labels).sort()).toEqual(
        sample.name === 'nflab_http_requests_total'
          ? ['method', 'route', 'status_code']
          : sample.name.endsWith('_bucket')
            ? ['le', 'method', 'route']
            : ['method', 'route'],
      );
      expect(sample.labels.route, JSON.stringify(sample)).toMatch(/^(unmatched|\/[a-z/:*-]*)$/);
      expect(sample.labels.route).not.toMatch(/deep-link|no-such-route/);
    }
    expect(sampleValue(samples, 'nflab_sse_clients')).toBe(0);
    expect(sampleValue(samples, 'nflab_database_up')).toBe(1);
    if (kind === 'postgres') {
      expect(sampleValue(samples, 'nflab_db_pool_max_connections')).toBe(10);
      const open = ['idle', 'in_use'].map((state) =>
        sampleValue(samples, 'nflab_db_pool_connections', { state }),
      );
      expect(open[0] as number).toBeGreaterThanOrEqual(1);
      expect(sampleValue(samples, 'nflab_db_pool_waiting_queries')).toBe(0);
    }
  });

  test('statements to the lab database are timed by kind and outcome, never by their text', async () => {
    const before = await samplesOf();
    const count = (samples: Sample[], operation: string): number =>
      sampleValue(samples, 'nflab_db_query_duration_seconds_count', { operation, outcome: 'ok' });
    const asViewer = { cookie: viewer.cookie };
    expect((await app.inject({ url: `/api/runs/${seeded.runningId}`, headers: asViewer })).statusCode).toBe(
      200,
    );
    const after = await samplesOf();
    // The request's own reads, and the previous scrape's read of the queue metrics.
    expect(count(after, 'select')).toBeGreaterThanOrEqual(count(before, 'select') + 2);
    const timed = after.filter((sample) => sample.name.startsWith('nflab_db_query_duration_seconds'));
    for (const sample of timed) {
      const labels = Object.keys(sample.labels).sort();
      expect(labels).toEqual(
        sample.name.endsWith('_bucket') ? ['le', 'operation', 'outcome'] : ['operation', 'outcome'],
      );
      expect(['select', 'insert', 'update', 'delete', 'ddl', 'transaction', 'other']).toContain(
        sample.labels.operation,
      );
    }
    // Every kind is exported from the start, at zero when none ran.
    expect(count(after, 'transaction')).toBe(0);
    const select = { operation: 'select', outcome: 'ok' };
    expect(sampleValue(after, 'nflab_db_query_duration_seconds_bucket', { ...select, le: '+Inf' })).toBe(
      count(after, 'select'),
    );
    expect(sampleValue(after, 'nflab_db_query_duration_seconds_sum', select)).toBeGreaterThan(0);
  });

  test('queue and training metrics are counted from the database rows', async () => {
    const samples = await samplesOf();
    const runs = (status: string, model: string, backend: string, operation: string): number =>
      sampleValue(samples, 'nflab_runs', { status, model, backend, operation });
    expect(runs('finished', 'auto_nhits', 'optuna', 'train')).toBe(2);
    expect(runs('failed', 'auto_nbeats', 'ray', 'train')).toBe(1);
    expect(runs('running', 'auto_mlp', 'optuna', 'train')).toBe(1);
    expect(runs('queued', 'auto_nhits', 'optuna', 'predict')).toBe(1);
    expect(runs('cancelled', 'auto_nhits', '', 'train')).toBe(1);
    expect(samples.filter((sample) => sample.name === 'nflab_runs')).toHaveLength(5);

    // Durations 42 s and 60 s (on a bound: counted in it), 7,200 s; a run that never started has none.
    const finished = { operation: 'train', status: 'finished' };
    const bucket = (labels: Record<string, string>, le: string): number =>
      sampleValue(samples, 'nflab_run_duration_seconds_bucket', { ...labels, le });
    expect(['30', '60', '120', '+Inf'].map((le) => bucket(finished, le))).toEqual([0, 2, 2, 2]);
    expect(sampleValue(samples, 'nflab_run_duration_seconds_sum', finished)).toBe(102);
    expect(sampleValue(samples, 'nflab_run_duration_seconds_count', finished)).toBe(2);
    const failed = { operation: 'train', status: 'failed' };
    expect(['3600', '7200', '+Inf'].map((le) => bucket(failed, le))).toEqual([0, 1, 1]);
    expect(samples.filter((sample) => sample.name === 'nflab_run_duration_seconds_count')).toHaveLength(2);

    // Waits 0.5 s (on a bound), 3 s, 10 s (the running run) and 100 s.
    const wait = (le: string): number => sampleValue(samples, 'nflab_queue_wait_seconds_bucket', { le });
    expect(['0.5', '1', '5', '15', '60', '120', '+Inf'].map(wait)).toEqual([1, 1, 2, 3, 3, 4, 4]);
    expect(sampleValue(samples, 'nflab_queue_wait_seconds_sum')).toBeCloseTo(113.5, 6);
    expect(sampleValue(samples, 'nflab_queue_wait_seconds_count')).toBe(4);

    expect(sampleValue(samples, 'nflab_run_retries_total', { operation: 'train' })).toBe(3);
    expect(sampleValue(samples, 'nflab_run_retries_total', { operation: 'predict' })).toBe(0);
    for (const [state, count] of [
      ['COMPLETE', 1],
      ['RUNNING', 1],
      ['PRUNED', 1],
    ] as const)
      expect(sampleValue(samples, 'nflab_trials', { state }), state).toBe(count);

    const running = { run_id: seeded.runningId, model: 'auto_mlp' };
    expect(sampleValue(samples, 'nflab_running_run_last_train_loss', running)).toBe(3.5);
    expect(sampleValue(samples, 'nflab_running_run_last_valid_loss', running)).toBe(4.5);
    expect(sampleValue(samples, 'nflab_running_run_cpu_ratio', running)).toBe(0.25);
    expect(sampleValue(samples, 'nflab_running_run_rss_bytes', running)).toBe(3000);
  });

  test('an empty lab reads as no runs, no trials and all-zero queue wait buckets', async () => {
    let empty: LabMetricsSnapshot | undefined;
    // Read inside a transaction that deletes every run, then roll it back.
    await db
      .transaction(async (tx) => {
        await tx.query('DELETE FROM nf_model_runs');
        empty = await readLabMetrics(tx, QUEUE_METRICS_BUCKETS);
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.message === 'roll back')) throw error;
      });
    expect(empty).toEqual({
      runs: [],
      runDurations: [],
      queueWait: { buckets: [...QUEUE_METRICS_BUCKETS.queueWait, Infinity].map(() => 0), sum: 0 },
      retries: [],
      trials: [],
      running: [],
      monitoredModels: [],
    });
  });

  test('a monitor’s watched model: its run’s test MAE and its latest finished refit’s, by monitor', async () => {
    const metrics = (mae: number | null): string =>
      JSON.stringify(mae === null ? {} : { metric: 'mae', test: { overall: { mae } } });
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (model_name, operation, status, end_time, metrics)
       VALUES ('auto_nhits', 'train', 'finished', '2026-01-01T00:00:00Z', $1::jsonb),
              ('auto_nhits', 'refit', 'finished', '2026-02-01T00:00:00Z', $2::jsonb),
              ('auto_nhits', 'refit', 'finished', '2026-03-01T00:00:00Z', $3::jsonb),
              ('auto_nhits', 'refit', 'failed', '2026-04-01T00:00:00Z', $4::jsonb),
              ('auto_nhits', 'train', 'finished', '2026-01-01T00:00:00Z', $4::jsonb)
       RETURNING id`,
      [metrics(2), metrics(2.25), metrics(3.5), metrics(null)],
    );
    const [watched, older, newest, failed, untested] = rows.map((row) => row.id);
    const monitors = await db.query<{ id: string; name: string }>(
      `INSERT INTO nf_monitors (name, table_name, loto, current_draws, reference_draws, cron, retrain_run_id)
       VALUES ('decay-watch', 't', 'loto6', 10, 10, '0 6 * * 1', $1), ('fresh-watch', 't', 'loto6', 10, 10, '0 6 * * 1', $1),
              ('no-model', 't', 'loto6', 10, 10, '0 6 * * 1', NULL), ('no-test', 't', 'loto6', 10, 10, '0 6 * * 1', $2)
       RETURNING id, name`,
      [watched, untested],
    );
    const decayWatch = monitors.rows.find((row) => row.name === 'decay-watch')?.id;
    // The refits it queued, newest last; a refit that failed later has no MAE to report.
    await db.query(
      `INSERT INTO nf_monitor_runs (monitor_id, status, refit_run_id)
       VALUES ($1, 'alert', $2), ($1, 'alert', $3), ($1, 'alert', $4)`,
      [decayWatch, older, newest, failed],
    );
    try {
      const samples = await samplesOf();
      const of = (name: string) =>
        samples
          .filter((sample) => sample.name === name)
          .map((sample) => [sample.labels.monitor, sample.value])
          .sort();
      expect(of('nflab_monitor_model_reference_mae')).toEqual([
        ['decay-watch', 2],
        ['fresh-watch', 2],
      ]);
      expect(of('nflab_monitor_model_recent_mae')).toEqual([['decay-watch', 3.5]]);
    } finally {
      await db.query(`DELETE FROM nf_monitors WHERE id = ANY($1::bigint[])`, [
        monitors.rows.map((r) => r.id),
      ]);
      await db.query(`DELETE FROM nf_model_runs WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
    }
  });

  test('run ids label only the running run’s own series, which go when it ends', async () => {
    const ids = new Set(seeded.runIds);
    const isRunning = (sample: Sample): boolean => sample.name.startsWith('nflab_running_run_');
    const before = await samplesOf();
    for (const sample of before.filter((s) => !isRunning(s))) {
      for (const value of Object.values(sample.labels))
        expect(ids.has(value) || /[0-9a-f]{8}-[0-9a-f]{4}-/.test(value), JSON.stringify(sample)).toBe(false);
    }
    const running = before.filter(isRunning);
    expect(running).toHaveLength(4);
    for (const sample of running) expect(Object.keys(sample.labels).sort()).toEqual(['model', 'run_id']);
    expect(new Set(running.map((sample) => sample.labels.run_id))).toEqual(new Set([seeded.runningId]));

    await db.query(
      `UPDATE nf_model_runs SET status = 'finished', end_time = now(), duration_seconds = 10 WHERE id = $1`,
      [seeded.runningId],
    );
    try {
      const after = await samplesOf();
      expect(after.filter(isRunning)).toEqual([]);
      expect(
        sampleValue(after, 'nflab_run_duration_seconds_count', { operation: 'train', status: 'finished' }),
      ).toBe(3);
    } finally {
      await db.query(
        `UPDATE nf_model_runs SET status = 'running', end_time = NULL, duration_seconds = NULL WHERE id = $1`,
        [seeded.runningId],
      );
    }
  });

  test('a scrape the database cannot answer still serves the process metrics, with nflab_database_up 0', async () => {
    let failing = true;
    // The lab's database, except that the metrics read fails as it would while the server is down.
    const flaky: Db = {
      ...db,
      query: async (sql, params, options) => {
        if (failing && sql.includes('json_object_agg(bucket, n)'))
          throw new StoreError('database query failed: connect ECONNREFUSED', sql);
        return db.query(sql, params, options);
      },
    };
    const errors: unknown[] = [];
    const outage = await buildServer({ db: flaky, webRoot: false, metricsToken: TOKEN });
    outage.log.error = ((error: unknown) => errors.push(error)) as typeof outage.log.error;
    try {
      const scrapeOutage = async (): Promise<Sample[]> => {
        const response = await outage.inject({
          url: '/metrics',
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(response.statusCode).toBe(200);
        return parseSamples(response.body);
      };
      const down = await scrapeOutage();
      expect(sampleValue(down, 'nflab_database_up')).toBe(0);
      expect(down.some((sample) => sample.name === 'process_resident_memory_bytes')).toBe(true);
      // No stale or zeroed numbers stand in for what could not be read.
      expect(down.filter((sample) => /^nflab_(runs|run_|queue_|trials|running_)/.test(sample.name))).toEqual(
        [],
      );
      expect(errors).toHaveLength(1);
      failing = false;
      const up = await scrapeOutage();
      expect(sampleValue(up, 'nflab_database_up')).toBe(1);
      expect(sampleValue(up, 'nflab_runs', { status: 'failed' })).toBe(1);
      // The failed read is timed as a failed select.
      expect(
        sampleValue(up, 'nflab_db_query_duration_seconds_count', { operation: 'select', outcome: 'error' }),
      ).toBe(1);
    } finally {
      await outage.close();
    }
  });

  test('free and total bytes of the artifact folder’s filesystem, measured at its nearest existing folder', async () => {
    const artifacts = join(root, 'artifacts');
    const measured = await buildServer({ db, webRoot: false, metricsToken: TOKEN, artifactRoot: artifacts });
    try {
      const filesystem = async (): Promise<[number, number]> => {
        const response = await measured.inject({
          url: '/metrics',
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const samples = parseSamples(response.body);
        return [
          sampleValue(samples, 'nflab_artifact_filesystem_avail_bytes'),
          sampleValue(samples, 'nflab_artifact_filesystem_size_bytes'),
        ];
      };
      const expected = async (path: string): Promise<[number, number]> => {
        const fs = await statfs(path);
        return [fs.bavail * fs.bsize, fs.blocks * fs.bsize];
      };
      // The folder does not exist yet: its parent's filesystem is the one it will be made on.
      const [avail, size] = await filesystem();
      const [availNow, sizeNow] = await expected(root);
      expect(size).toBe(sizeNow);
      expect(size).toBeGreaterThan(0);
      // Other processes write to the same disk between the two reads.
      expect(Math.abs(avail - availNow)).toBeLessThan(256 * 1024 * 1024);
      expect(avail).toBeLessThanOrEqual(size);
      await mkdir(artifacts);
      expect((await filesystem())[1]).toBe((await expected(artifacts))[1]);
    } finally {
      await measured.close();
    }
  });

  test('live-event clients are counted while connected', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const stream = new AbortController();
    const response = await fetch(`${address}/api/events`, {
      headers: { cookie: viewer.cookie },
      signal: stream.signal,
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    expect(sampleValue(await samplesOf(), 'nflab_sse_clients')).toBe(1);
    stream.abort();
    await reader.closed.catch(() => undefined);
    const deadline = Date.now() + 5000;
    let clients = 1;
    while (clients !== 0 && Date.now() < deadline) {
      clients = sampleValue(await samplesOf(), 'nflab_sse_clients');
      if (clients !== 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(clients).toBe(0);
  });

  test('once the server begins to close, /api/ready is 503 "draining" while /api/health still answers', async () => {
    const draining = await buildServer({ db, webRoot: false, metricsToken: TOKEN });
    // Holds the close where the worker grace period would: runs finishing, the server still listening.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    draining.addHook('preClose', () => held);
    const origin = await draining.listen({ port: 0, host: '127.0.0.1' });
    let closed: Promise<void> | undefined;
    try {
      const ready = await fetch(`${origin}/api/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      expect(draining.draining).toBe(false);

      closed = draining.close();
      await vi.waitFor(() => expect(draining.draining).toBe(true));
      const notReady = await fetch(`${origin}/api/ready`);
      expect(notReady.status).toBe(503);
      expect(notReady.headers.get('connection')).toBe('close');
      expect(await notReady.json()).toEqual({ status: 'draining', database: db.kind });
      const health = await fetch(`${origin}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const metrics = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(metrics.status).toBe(200);
      // Work is refused in the lab's error shape, and the client told to go elsewhere.
      const work = await fetch(`${origin}/api/runs`, { headers: { cookie: viewer.cookie } });
      expect(work.status).toBe(503);
      expect(work.headers.get('retry-after')).toBe('5');
      expect(((await work.json()) as { error: unknown }).error).toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/shutting down/),
      });
    } finally {
      release();
      await (closed ?? draining.close());
    }
  });
});

describe.each(await testDbKinds())('lost workers on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  test('nflab_lost_worker_runs_total counts the runs the server’s reaper marks lost', async () => {
    app = await buildServer({ db, webRoot: false, metricsToken: TOKEN, reapIntervalMs: 100 });
    const lost = async (): Promise<number> => {
      const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      return sampleValue(parseSamples(response.body), 'nflab_lost_worker_runs_total');
    };
    expect(await lost()).toBe(0);
    // Two runs as `nflab worker` leaves them when killed with -9, and one whose worker is alive.
    await db.query(
      `INSERT INTO nf_model_runs (loto, unique_ids, model_name, status, worker_id, attempt, max_attempts,
                                  start_time, heartbeat_at)
       VALUES ('loto6', '{N1}', 'mlp', 'running', 'dead-host:1:0000', 1, 1, now() - interval '1 hour',
               now() - interval '5 minutes'),
              ('loto6', '{N1}', 'mlp', 'running', 'dead-host:2:0000', 1, 3, now() - interval '1 hour',
               now() - interval '5 minutes'),
              ('loto6', '{N1}', 'mlp', 'running', 'live-host:1:0000', 1, 1, now(), now() + interval '1 hour')`,
    );
    await vi.waitFor(async () => expect(await lost()).toBe(2), { timeout: 20_000, interval: 100 });
    // Reaped once: later reaps find nothing more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await lost()).toBe(2);
  });
});
