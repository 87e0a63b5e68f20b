/**
 * The monitor scheduler: cron firings claimed once across processes sharing a database (two
 * schedulers on one PostgreSQL database), alerts posted to a local webhook, clean close.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { insertMonitor, listMonitorRuns, openPostgres, type MonitorRow, type NewMonitor } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { MonitorScheduler, nextCronRun, postWebhook, type MonitorExecution } from '../../src/index.js';
import { saveSyntheticDraws } from '../analyses/drifting-draws.js';

const kinds = await testDbKinds();
const at = (iso: string): Date => new Date(`${iso}Z`);

const monitorOf = (name: string, table: string, extra: Partial<NewMonitor> = {}): NewMonitor => ({
  name,
  table_name: table,
  loto: 'loto6',
  current_draws: 200,
  reference_draws: 200,
  cron: '*/5 * * * *',
  next_run_at: null,
  ...extra,
});

/** A local receiver that keeps every JSON body; `hang` leaves requests unanswered. */
const webhookReceiver = async (hang = false): Promise<{ url: string; bodies: unknown[]; server: Server }> => {
  const bodies: unknown[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      if (!hang) response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
};

test('cron text: next firing in UTC; a bad schedule is a ConfigError naming the field', () => {
  expect(nextCronRun('*/5 * * * *', at('2026-01-01T00:01:00'))).toEqual(at('2026-01-01T00:05:00'));
  expect(nextCronRun('0 6 * * 1', at('2026-01-01T00:00:00'))).toEqual(at('2026-01-05T06:00:00'));
  expect(() => nextCronRun('61 * * * *', new Date(), '--cron')).toThrow(ConfigError);
  expect(() => nextCronRun('every day', new Date(), '--cron')).toThrow(
    /--cron "every day" is not a cron schedule/,
  );
});

test('a webhook that does not answer in time is a result with the reason, not a hang or a throw', async () => {
  const { url, server } = await webhookReceiver(true);
  try {
    const result = await postWebhook(url, { x: 1 }, 200);
    expect(result).toEqual({ ok: false, error: `webhook ${url} failed: no answer within 200 ms` });
    expect(await postWebhook('http://127.0.0.1:1/none', {}, 1000)).toMatchObject({ ok: false });
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

describe.each(kinds)('MonitorScheduler on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await saveSyntheticDraws(db, { table: 'nf_loto_shift', seed: 16, changeAt: 200 });
    await saveSyntheticDraws(db, { table: 'nf_loto_steady', seed: 17 });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  test('a new monitor is scheduled by the first tick and runs when due; its alert reaches the webhook once', async () => {
    const hook = await webhookReceiver();
    let now = at('2030-01-01T00:01:00');
    const executions: [string, MonitorExecution][] = [];
    const errors: unknown[] = [];
    const scheduler = new MonitorScheduler({
      db,
      now: () => now,
      onExecution: (monitor, execution) => executions.push([monitor.name, execution]),
      onError: (error) => errors.push(error),
    });
    try {
      const shift = await insertMonitor(db, monitorOf('hooked', 'nf_loto_shift', { webhook_url: hook.url }));
      await insertMonitor(db, monitorOf('broken', 'nf_loto_steady', { cron: 'not a cron' }));
      expect(await scheduler.tick()).toBe(0); // scheduled for 00:05, nothing run
      now = at('2030-01-01T00:05:00');
      expect(await scheduler.tick()).toBe(1);
      expect(await scheduler.tick()).toBe(0); // the same firing is not run twice
      expect(executions.map(([name, e]) => [name, e.run.status])).toEqual([['hooked', 'alert']]);
      expect(hook.bodies).toEqual([
        expect.objectContaining({
          type: 'monitor-alert',
          monitor: 'hooked',
          monitor_id: shift.id,
          table_name: 'nf_loto_shift',
          check_id: executions[0]![1].run.check_id,
          drifted: expect.arrayContaining([{ unique_id: null, column: 'numbers' }]),
        }),
      ]);
      // The broken schedule is reported on every tick and blocks nothing.
      expect(errors.length).toBeGreaterThanOrEqual(3);
      expect(String(errors[0])).toMatch(/cron "not a cron" is not a cron schedule/);
    } finally {
      await scheduler.close();
      hook.server.close();
    }
  });

  test('start ticks on its own and close waits for the tick in progress, then stops', async () => {
    const monitor = await insertMonitor(
      db,
      monitorOf('ticking', 'nf_loto_steady', { cron: '* * * * * *', next_run_at: new Date(0) }),
    );
    let runs = 0;
    const scheduler = new MonitorScheduler({
      db,
      intervalMs: 20,
      onExecution: (m) => (runs += m.id === monitor.id ? 1 : 0),
    });
    scheduler.start();
    for (let i = 0; i < 200 && runs === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await scheduler.close();
    const after = (await listMonitorRuns(db, monitor.id)).length;
    expect(after).toBeGreaterThanOrEqual(1);
    expect((await listMonitorRuns(db, monitor.id)).every((run) => run.status !== 'running')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await listMonitorRuns(db, monitor.id)).length).toBe(after);
  });
});

describe.skipIf(!kinds.includes('postgres'))('two schedulers on one PostgreSQL database', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('postgres', { migrate: true });
    await saveSyntheticDraws(db, { table: 'nf_loto_steady', seed: 18 });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  test('each firing of each monitor runs exactly once, whichever process claims it', async () => {
    const other = await openPostgres({ url: db.url as string });
    let now = at('2030-01-01T00:00:00');
    const ran: Record<string, number> = {};
    const count = (monitor: MonitorRow): void => void (ran[monitor.name] = (ran[monitor.name] ?? 0) + 1);
    const a = new MonitorScheduler({ db, now: () => now, onExecution: count });
    const b = new MonitorScheduler({ db: other, now: () => now, onExecution: count });
    try {
      const monitors: MonitorRow[] = [];
      for (let i = 0; i < 6; i++)
        monitors.push(
          await insertMonitor(
            db,
            monitorOf(`m${i}`, 'nf_loto_steady', {
              current_draws: 50,
              reference_draws: 100,
              next_run_at: now,
            }),
          ),
        );
      const perProcess: [number, number][] = [];
      for (let firing = 0; firing < 3; firing++) {
        perProcess.push(await Promise.all([a.tick(), b.tick()]));
        now = new Date(now.getTime() + 5 * 60_000);
      }
      for (const [x, y] of perProcess) expect(x + y).toBe(monitors.length);
      for (const monitor of monitors) {
        expect(ran[monitor.name], monitor.name).toBe(3);
        const runs = await listMonitorRuns(db, monitor.id);
        expect(runs.map((run) => run.status)).toEqual(['ok', 'ok', 'ok']);
      }
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  });
});
