/**
 * A monitor's execution on synthetic loto6 tables: one whose generator changes midway alerts,
 * stores its check, raises the event and queues the refit; unchanged tables do not alert — counted
 * over 20 seeded tables (the false-alarm experiment; the count is printed).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  insertMonitor,
  latestEventId,
  latestTableDriftChecks,
  listEventsBetween,
  listMonitorRuns,
  type MonitorRow,
  type NewMonitor,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { RunQueue, runMonitor, submitRun } from '../../src/index.js';
import { saveSyntheticDraws } from '../analyses/drifting-draws.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const FALSE_ALARM_TABLES = 20;

const monitorOf = (name: string, table: string, extra: Partial<NewMonitor> = {}): NewMonitor => ({
  name,
  table_name: table,
  loto: 'loto6',
  current_draws: 200,
  reference_draws: 200,
  cron: '0 6 * * *',
  next_run_at: null,
  ...extra,
});

describe.each(await testDbKinds())('runMonitor on %s', (kind) => {
  let db: TestDb;
  let queue: RunQueue;
  let draws: { ds: string }[];

  /** A finished run that saved a model (as far as the queue's checks go) on the shifted table. */
  const finishedParent = async (): Promise<string> => {
    const { runId } = await submitRun(db, queue, {
      table_name: 'nf_loto_shift',
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'mlp',
      config: { input_size: 4, hidden_size: 8, num_layers: 1 },
      h: 1,
      max_steps: 3,
      random_seed: 1,
    });
    await db.query(
      `UPDATE nf_model_runs SET status = 'finished', best_params = '{"input_size": 4}',
              model_properties = '{"modelDir": "/nonexistent/model"}' WHERE id = $1`,
      [runId],
    );
    return runId;
  };

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    queue = new RunQueue(db);
    draws = await saveSyntheticDraws(db, { table: 'nf_loto_shift', seed: 16, changeAt: 200 });
    await saveSyntheticDraws(db, { table: 'nf_loto_steady', seed: 16 });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  test('a table whose generator changes midway alerts: drift rows, the alert event and a linked refit', async () => {
    const parent = await finishedParent();
    const monitor = await insertMonitor(db, monitorOf('shift', 'nf_loto_shift', { retrain_run_id: parent }));
    const before = await latestEventId(db);
    const { run, summary, alertEventId, refitError } = await runMonitor({ db, monitor, now: NOW, queue });

    expect(refitError).toBeNull();
    expect(run).toMatchObject({
      monitor_id: monitor.id,
      status: 'alert',
      error: null,
      check_id: summary?.checkId,
    });
    expect(run.drifted).toContainEqual({ unique_id: null, column: 'numbers' });
    expect(run.drifted).toContainEqual({ unique_id: 'N1', column: 'y' });
    // The windows are the last 200 draws and the 200 before them.
    expect(summary?.reference).toEqual({ from: draws[0]!.ds, to: draws[199]!.ds });
    expect(summary?.current).toEqual({ from: draws[200]!.ds, to: draws[399]!.ds });
    const stored = await latestTableDriftChecks(db, { table: 'nf_loto_shift', loto: 'loto6' });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((row) => row.check_id === run.check_id)).toBe(true);

    const events = await listEventsBetween(db, { after: before, upTo: await latestEventId(db) });
    const alert = events.find((event) => event.type === 'monitor-alert');
    expect(alert?.id).toBe(alertEventId);
    expect(alert?.payload).toMatchObject({
      monitor: 'shift',
      monitor_id: monitor.id,
      monitor_run_id: run.id,
      check_id: run.check_id,
      refit_run_id: run.refit_run_id,
    });

    const refit = await db.query<{ status: string; operation: string; parent_run_id: string }>(
      'SELECT status, operation, parent_run_id FROM nf_model_runs WHERE id = $1',
      [run.refit_run_id],
    );
    expect(refit.rows).toEqual([{ status: 'queued', operation: 'refit', parent_run_id: parent }]);
    expect(await listMonitorRuns(db, monitor.id)).toEqual([run]);
  });

  test('unchanged data does not alert: ok, no event, no refit', async () => {
    const parent = await finishedParent();
    const monitor = await insertMonitor(
      db,
      monitorOf('steady', 'nf_loto_steady', { retrain_run_id: parent }),
    );
    const before = await latestEventId(db);
    const { run, alertEventId } = await runMonitor({ db, monitor, now: NOW, queue });
    expect(run).toMatchObject({ status: 'ok', drifted: [], error: null, refit_run_id: null });
    expect(alertEventId).toBeNull();
    const events = await listEventsBetween(db, { after: before, upTo: await latestEventId(db) });
    expect(events.filter((event) => event.type === 'monitor-alert')).toEqual([]);
  });

  test('failures are recorded with their message: a missing table, too few draws, a refit that cannot start', async () => {
    const missing = await insertMonitor(db, monitorOf('missing', 'nf_loto_missing'));
    const gone = await runMonitor({ db, monitor: missing, now: NOW });
    expect(gone.run.status).toBe('error');
    expect(gone.run.error).toMatch(/nf_loto_missing/);

    // In 2016 the table holds about 100 draws: fewer than the 400 the monitor compares.
    const early = await insertMonitor(db, monitorOf('early', 'nf_loto_shift'));
    const short = await runMonitor({ db, monitor: early, now: new Date('2016-01-01T00:00:00Z') });
    expect(short.run).toMatchObject({ status: 'error', check_id: null });
    expect(short.run.error).toMatch(
      /nf_loto_shift holds \d+ draws of loto6 up to 2016-01-01; .* \(400 draws\)/,
    );

    const { runId: unfinished } = await submitRun(db, queue, {
      table_name: 'nf_loto_shift',
      loto: 'loto6',
      unique_ids: ['N2'],
      model: 'mlp',
      config: { input_size: 4, hidden_size: 8, num_layers: 1 },
      h: 1,
      max_steps: 3,
    });
    const refused = await insertMonitor(
      db,
      monitorOf('refused', 'nf_loto_shift', { retrain_run_id: unfinished }),
    );
    const alert = await runMonitor({ db, monitor: refused, now: NOW, queue });
    expect(alert.run).toMatchObject({ status: 'alert', refit_run_id: null });
    expect(alert.run.error).toMatch(new RegExp(`refit of run ${unfinished} not queued: .*queued`));
    expect(alert.alertEventId).not.toBeNull();
  });

  test(`false alarms: ${FALSE_ALARM_TABLES} seeded unchanged tables, one monitor each`, async () => {
    const monitors: MonitorRow[] = [];
    for (let seed = 0; seed < FALSE_ALARM_TABLES; seed++) {
      const table = `nf_loto_fair_${seed}`;
      await saveSyntheticDraws(db, { table, seed: 1000 + seed });
      monitors.push(await insertMonitor(db, monitorOf(`fair-${seed}`, table)));
    }
    const statuses: string[] = [];
    for (const monitor of monitors) statuses.push((await runMonitor({ db, monitor, now: NOW })).run.status);
    const alerts = statuses.filter((status) => status === 'alert').length;
    console.log(
      `false alarms on ${kind}: ${alerts} of ${FALSE_ALARM_TABLES} unchanged tables (Holm, p < 0.01)`,
    );
    expect(statuses.filter((status) => status === 'error')).toEqual([]);
    // Holm keeps each check's family-wise error under 1%: more than two alarms in 20 would be a bug.
    expect(alerts).toBeLessThanOrEqual(2);
  }, 300_000);
});
