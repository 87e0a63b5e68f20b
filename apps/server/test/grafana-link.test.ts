/**
 * The run page's Grafana link: NFLAB_GRAFANA_URL (or the grafanaUrl option) is checked at start,
 * and `GET /api/runs/:id` then carries the training dashboard's URL filtered to the run over its
 * run time; without the setting the field is null.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '@nflab/contracts';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { resolveGrafanaUrl, runDashboardUrl } from '../src/grafana-link.js';
import { signIn, type SignedIn } from './sign-in.js';

const RUN = '5b1f0a52-3f0e-4b7a-9a51-7d1c1f0b9e11';

describe('the Grafana URL setting', () => {
  test('is off unless set, read from NFLAB_GRAFANA_URL, trimmed of trailing slashes, and refused unless http(s)', () => {
    expect(resolveGrafanaUrl(undefined, {})).toBeUndefined();
    expect(resolveGrafanaUrl(undefined, { NFLAB_GRAFANA_URL: '' })).toBeUndefined();
    expect(resolveGrafanaUrl(false, { NFLAB_GRAFANA_URL: 'http://localhost:3000' })).toBeUndefined();
    expect(resolveGrafanaUrl(undefined, { NFLAB_GRAFANA_URL: 'http://localhost:3000/' })).toBe(
      'http://localhost:3000',
    );
    expect(resolveGrafanaUrl('https://example.org/grafana//', {})).toBe('https://example.org/grafana');
    for (const bad of [
      'grafana.example.org',
      'javascript:alert(1)',
      'ftp://example.org',
      'https://x.org/?a=1',
    ])
      expect(() => resolveGrafanaUrl(bad, {}), bad).toThrow(ConfigError);
    expect(() => resolveGrafanaUrl(undefined, { NFLAB_GRAFANA_URL: 'localhost:3000' })).toThrow(
      /NFLAB_GRAFANA_URL: Grafana's address must be an http\(s\) URL/,
    );
  });

  test('links the training dashboard with the run chosen, over its run time', () => {
    const ended = new URL(
      runDashboardUrl('https://example.org/grafana', {
        id: RUN,
        start_time: new Date('2026-01-02T03:00:00Z'),
        end_time: '2026-01-02T04:00:00.000Z',
      }),
    );
    expect(`${ended.origin}${ended.pathname}`).toBe(
      'https://example.org/grafana/d/nflab-training/nflab-training',
    );
    expect(ended.searchParams.get('var-run_id')).toBe(RUN);
    expect(Number(ended.searchParams.get('from'))).toBe(Date.parse('2026-01-02T02:55:00Z'));
    expect(Number(ended.searchParams.get('to'))).toBe(Date.parse('2026-01-02T04:05:00Z'));
    const running = new URL(
      runDashboardUrl('http://localhost:3000', {
        id: RUN,
        start_time: '2026-01-02T03:00:00Z',
        end_time: null,
      }),
    );
    expect(running.searchParams.get('to')).toBe('now');
    const queued = new URL(
      runDashboardUrl('http://localhost:3000', { id: RUN, start_time: null, end_time: null }),
    );
    expect([queued.searchParams.get('from'), queued.searchParams.get('to')]).toEqual(['now-6h', 'now']);
  });
});

describe.each(await testDbKinds())('GET /api/runs/:id grafana_url on %s', (kind) => {
  let db: TestDb;
  let linked: FastifyInstance;
  let plain: FastifyInstance;
  let viewer: SignedIn;
  let runId: string;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (loto, unique_ids, model_name, status, start_time, end_time)
       VALUES ('loto6', '{N1}', 'mlp', 'finished', '2026-01-02T03:00:00Z', '2026-01-02T04:00:00Z') RETURNING id`,
    );
    runId = (rows[0] as { id: string }).id;
    linked = await buildServer({ db, webRoot: false, grafanaUrl: 'https://grafana.example.org/' });
    plain = await buildServer({ db, webRoot: false, grafanaUrl: false });
    viewer = await signIn(db, 'viewer');
  });
  afterAll(async () => {
    await linked?.close();
    await plain?.close();
    await db?.close();
  });

  test('is the dashboard URL filtered to the run when Grafana is set, and null when it is not', async () => {
    const headers = { cookie: viewer.cookie };
    const withLink = await linked.inject({ url: `/api/runs/${runId}`, headers });
    expect(withLink.statusCode, withLink.body).toBe(200);
    const url = new URL(withLink.json().grafana_url as string);
    expect(url.href.startsWith('https://grafana.example.org/d/nflab-training/')).toBe(true);
    expect(url.searchParams.get('var-run_id')).toBe(runId);
    expect(Number(url.searchParams.get('to'))).toBe(Date.parse('2026-01-02T04:05:00Z'));
    const without = await plain.inject({ url: `/api/runs/${runId}`, headers });
    expect(without.statusCode).toBe(200);
    expect(without.json().grafana_url).toBeNull();
    await expect(buildServer({ db, webRoot: false, grafanaUrl: 'grafana:3000' })).rejects.toThrow(
      ConfigError,
    );
  });
});
