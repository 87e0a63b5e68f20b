/**
 * A real Prometheus (Debian's `prometheus` package, which `npm test` installs) scrapes a running
 * lab server every second with the scrape token — and a second job with a wrong one — while runs
 * change state in the database; the series and values are read back through Prometheus's HTTP
 * query API. Skipped with the reason when the binary is missing, unless CI=true: then it fails.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { freePort, startDaemon, type TestDaemon } from '../../../test-support/daemon.js';
import { seedMetricsRuns, type SeededMetricsRuns } from './seed-metrics-runs.js';

const PROMETHEUS = '/usr/bin/prometheus';
const TOKEN = 'prometheus-test-scrape-token-0123456789';
const REQUIRED = process.env.CI === 'true';
const MISSING = !existsSync(PROMETHEUS);
const SKIP_REASON = `${PROMETHEUS} is missing (Debian package prometheus; npm test installs it)`;

/** One instant-vector sample of the query API. */
interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

// The server holds the test's one database; PostgreSQL when reachable (opens fastest), else PGlite.
const kind = (await testDbKinds()).at(-1) ?? 'pglite';

describe.skipIf(MISSING && !REQUIRED)(
  `a real Prometheus scrapes the lab${MISSING && !REQUIRED ? ` (skipped: ${SKIP_REASON})` : ''}`,
  () => {
    let db: TestDb;
    let app: FastifyInstance;
    let dir: string;
    let prometheus: TestDaemon | undefined;
    let api = '';
    let seeded: SeededMetricsRuns;

    /** The samples of `promql` now, from Prometheus's HTTP API. */
    const query = async (promql: string): Promise<VectorSample[]> => {
      const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as {
        status: string;
        data: { resultType: string; result: VectorSample[] };
      };
      expect(body.status, promql).toBe('success');
      expect(body.data.resultType, promql).toBe('vector');
      return body.data.result;
    };
    const values = async (promql: string): Promise<number[]> =>
      (await query(promql)).map((sample) => Number(sample.value[1]));

    /** Polls until `promql` gives exactly `expected` (new scrapes arrive every second). */
    const waitFor = async (promql: string, expected: number[], timeoutMs = 15_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      let last: number[] = [];
      while (Date.now() < deadline) {
        last = await values(promql).catch(() => []);
        if (JSON.stringify(last) === JSON.stringify(expected)) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(
        `${promql} stayed ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}; prometheus log:\n${prometheus?.log()}`,
      );
    };

    beforeAll(async () => {
      if (MISSING) throw new Error(`CI=true and ${SKIP_REASON}`);
      db = await openTestDb(kind, { migrate: true });
      seeded = await seedMetricsRuns(db);
      app = await buildServer({ db, webRoot: false, metricsToken: TOKEN });
      const lab = new URL(await app.listen({ port: 0, host: '127.0.0.1' })).host;
      dir = await mkdtemp(join(tmpdir(), 'nflab-prometheus-'));
      await writeFile(
        join(dir, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 1s',
          '  scrape_timeout: 1s',
          'scrape_configs:',
          '  - job_name: nflab',
          '    authorization:',
          `      credentials: ${TOKEN}`,
          '    static_configs:',
          `      - targets: ['${lab}']`,
          '  - job_name: nflab-wrong-token',
          '    authorization:',
          '      credentials: not-the-scrape-token-at-all',
          '    static_configs:',
          `      - targets: ['${lab}']`,
          '',
        ].join('\n'),
      );
      const port = await freePort();
      api = `http://127.0.0.1:${port}`;
      prometheus = await startDaemon(
        PROMETHEUS,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { readyUrl: `${api}/-/ready` },
      );
    });
    afterAll(async () => {
      await prometheus?.stop();
      await app?.close();
      await db?.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    test('series and values arrive through the query API and follow the database', async () => {
      await waitFor('up{job="nflab"}', [1]);
      // Without the token Prometheus is refused: its target is down, and the refusals are audited.
      await waitFor('up{job="nflab-wrong-token"}', [0]);
      const { rows } = await db.query(
        "SELECT 1 FROM nf_audit_log WHERE action = 'metrics.scrape' AND details->>'reason' = 'wrong token'",
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);

      await waitFor('sum(nflab_runs{status="finished"})', [2]);
      expect(
        await values('nflab_runs{status="failed",model="auto_nbeats",backend="ray",operation="train"}'),
      ).toEqual([1]);
      expect(await values('nflab_run_duration_seconds_bucket{status="finished",le="60"}')).toEqual([2]);
      expect(await values('nflab_queue_wait_seconds_count')).toEqual([4]);
      expect(await values('sum(nflab_run_retries_total)')).toEqual([3]);
      expect(await values('nflab_trials{state="RUNNING"}')).toEqual([1]);
      const loss = await query('nflab_running_run_last_train_loss');
      expect(loss.map((sample) => [sample.metric.run_id, sample.metric.model, sample.value[1]])).toEqual([
        [seeded.runningId, 'auto_mlp', '3.5'],
      ]);
      expect(await values('nflab_database_up')).toEqual([1]);
      expect((await values('nodejs_eventloop_lag_seconds')).length).toBe(1);
      // Each scrape is counted once answered, so the next scrape shows the one before.
      await waitFor('count(nflab_http_requests_total{route="/metrics",status_code="200"} > 0)', [1]);

      // The running run finishes as a worker would record it: the next scrapes count it finished
      // and its per-run series end.
      await db.query(
        `UPDATE nf_model_runs SET status = 'finished', end_time = now(), duration_seconds = 10 WHERE id = $1`,
        [seeded.runningId],
      );
      await waitFor('sum(nflab_runs{status="finished"})', [3]);
      await waitFor('count(nflab_running_run_last_train_loss)', []);
      expect(await values('nflab_run_duration_seconds_bucket{status="finished",le="15"}')).toEqual([1]);
      // A histogram Prometheus can compute with: half the finished runs took at most 60 s.
      expect(
        (await values('histogram_quantile(0.5, nflab_run_duration_seconds_bucket{status="finished"})'))[0],
      ).toBeLessThanOrEqual(60);
    });
  },
);
