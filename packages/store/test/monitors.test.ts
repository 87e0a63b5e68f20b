import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConflictError } from '@nflab/contracts';
import {
  claimMonitor,
  deleteMonitor,
  findMonitorByName,
  finishMonitorRun,
  insertMonitor,
  insertMonitorAlertEvent,
  listDueMonitors,
  listEventsBetween,
  listMonitorRuns,
  listMonitors,
  startMonitorRun,
  type NewMonitor,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const T0 = new Date('2026-01-01T00:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

const monitor = (name: string, next: Date | null): NewMonitor => ({
  name,
  table_name: 'nf_loto_final',
  loto: 'loto6',
  current_draws: 50,
  reference_draws: 100,
  cron: '*/5 * * * *',
  next_run_at: next,
});

describe.each(await testDbKinds())('monitor repository on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await db?.close();
  });

  test('a monitor stores with its defaults; a taken name is a ConflictError naming it', async () => {
    const row = await insertMonitor(db, { ...monitor('weekly', minutes(5)), unique_ids: ['N1'], psi: 0.2 });
    expect(row).toMatchObject({
      name: 'weekly',
      unique_ids: ['N1'],
      columns: null,
      p_value: 0.01,
      psi: 0.2,
      p_adjust: 'holm',
      enabled: true,
      last_run_at: null,
      next_run_at: minutes(5),
    });
    expect(typeof row.id).toBe('number');
    await expect(insertMonitor(db, monitor('weekly', null))).rejects.toThrow(ConflictError);
    await expect(insertMonitor(db, monitor('weekly', null))).rejects.toThrow(
      /monitor "weekly" already exists/,
    );
    expect((await findMonitorByName(db, 'weekly'))?.id).toBe(row.id);
    expect(await findMonitorByName(db, 'nope')).toBeUndefined();
  });

  test('a due firing is claimed by exactly one of two claims that saw it; unscheduled monitors are only scheduled', async () => {
    const due = await insertMonitor(db, monitor('due', minutes(0)));
    const fresh = await insertMonitor(db, monitor('fresh', null));
    await insertMonitor(db, monitor('later', minutes(60)));
    const seen = await listDueMonitors(db, minutes(1));
    expect(seen.map((m) => m.name)).toEqual(['fresh', 'due']);
    const claim = { id: due.id, seen: due.next_run_at, next: minutes(5), now: minutes(1) };
    const [a, b] = await Promise.all([claimMonitor(db, claim), claimMonitor(db, claim)]);
    expect([a, b].filter((row) => row !== undefined)).toHaveLength(1);
    expect((a ?? b)?.next_run_at).toEqual(minutes(5));
    expect((a ?? b)?.last_run_at).toEqual(minutes(1));
    // Not due yet: nothing to claim.
    expect(await claimMonitor(db, { ...claim, seen: minutes(5), next: minutes(10) })).toBeUndefined();
    const scheduled = await claimMonitor(db, { id: fresh.id, seen: null, next: minutes(5), now: minutes(1) });
    expect(scheduled).toMatchObject({ next_run_at: minutes(5), last_run_at: null });
    expect((await listDueMonitors(db, minutes(1))).map((m) => m.name)).toEqual([]);
  });

  test('executions record their outcome; an alert event reaches the events table; deleting a monitor deletes its runs', async () => {
    const m = await insertMonitor(db, monitor('runs', minutes(0)));
    const first = await startMonitorRun(db, m.id);
    const second = await startMonitorRun(db, m.id);
    const ok = await finishMonitorRun(db, first, {
      status: 'ok',
      check_id: '00000000-0000-4000-8000-000000000001',
    });
    expect(ok).toMatchObject({ status: 'ok', drifted: [], error: null, refit_run_id: null });
    expect(ok.finished_at).toBeInstanceOf(Date);
    await finishMonitorRun(db, second, { status: 'error', error: 'table nf_loto_x does not exist' });
    const runs = await listMonitorRuns(db, m.id);
    expect(runs.map((r) => [r.id, r.status, r.error])).toEqual([
      [second, 'error', 'table nf_loto_x does not exist'],
      [first, 'ok', null],
    ]);

    const eventId = await insertMonitorAlertEvent(db, { monitor: 'runs', drifted: [] });
    const events = await listEventsBetween(db, { after: eventId - 1, upTo: eventId });
    expect(events).toMatchObject([{ id: eventId, type: 'monitor-alert', payload: { monitor: 'runs' } }]);

    expect(await deleteMonitor(db, 'runs')).toBe(true);
    expect(await deleteMonitor(db, 'runs')).toBe(false);
    expect(await listMonitorRuns(db, m.id)).toEqual([]);
    expect((await listMonitors(db)).map((row) => row.name)).not.toContain('runs');
  });
});
