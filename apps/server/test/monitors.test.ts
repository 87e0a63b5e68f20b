/**
 * Scheduled monitors in the server: the server's scheduler runs a due monitor on its own, and an
 * alert is counted in nflab_monitor_alerts_total, audited as monitor.alert by `scheduler` and
 * streamed as a monitor-alert event; closing the server stops the scheduler.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  insertMonitor,
  listAuditEntries,
  listMonitorRuns,
  saveDraws,
  synthesizeDraws,
  type MonitorRow,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { drifting } from './drifting-draws.js';
import { parseSamples, sampleValue } from './prom-text.js';

const TOKEN = 'test-scrape-token-monitors-0123456';

const until = async (condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe.each(await testDbKinds())('scheduled monitors in the server on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let monitor: MonitorRow;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    const draws = synthesizeDraws({ game: 'loto6', draws: 400, seed: 7, start: '2015-01-01' });
    await saveDraws(db, { table: 'nf_loto_shift', draws: drifting(draws) });
    monitor = await insertMonitor(db, {
      name: 'shift-watch',
      table_name: 'nf_loto_shift',
      loto: 'loto6',
      current_draws: 200,
      reference_draws: 200,
      cron: '0 6 * * *',
      next_run_at: new Date(0),
    });
    app = await buildServer({ db, webRoot: false, metricsToken: TOKEN, monitorIntervalMs: 50 });
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  test('a due monitor runs once: alert counted, audited by the scheduler, sent as a live event', async () => {
    await until(async () => (await listMonitorRuns(db, monitor.id)).some((run) => run.status === 'alert'));
    const [run] = await listMonitorRuns(db, monitor.id);
    await until(async () => (await listAuditEntries(db, { action: 'monitor.alert', limit: 10 })).length > 0);
    const [entry] = await listAuditEntries(db, { action: 'monitor.alert', limit: 10 });
    expect(entry).toMatchObject({
      actor: 'scheduler',
      entity: 'monitor',
      entity_id: 'shift-watch',
      outcome: 'success',
      details: { monitor_run_id: run!.id, check_id: run!.check_id, table_name: 'nf_loto_shift' },
    });
    const scrape = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(
      sampleValue(parseSamples(scrape.body), 'nflab_monitor_alerts_total', { monitor: 'shift-watch' }),
    ).toBe(1);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM nf_events WHERE type = 'monitor-alert' AND payload->>'monitor' = 'shift-watch'`,
    );
    expect(rows[0]?.n).toBe(1);
    // The next firing is tomorrow at 06:00 UTC: the 50 ms ticks do not run it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await listMonitorRuns(db, monitor.id)).toHaveLength(1);
  });
});
