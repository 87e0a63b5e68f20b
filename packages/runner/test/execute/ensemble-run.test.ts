/**
 * The ensemble operation end to end: finished runs with stored cross-validation rows and forecasts
 * (each member the actual plus a fixed offset), combined by a worker as a run of its own — its
 * forecasts, evaluated rows, metrics with baselines, and its member links with weights — on PGlite
 * and on the PostgreSQL server. Submission refuses what cannot be combined, naming the fix.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { listEnsembleMembers, listEnsemblesOfMember } from '@nflab/store';
import {
  ENSEMBLE_MEMBER_OFFSETS,
  ensembleTestDay,
  ensembleTestY,
  openTestDb,
  seedEnsembleMembers,
  testDbKinds,
  type EnsembleFixture,
  type TestDb,
} from '@nflab/store/testing';
import { createRunExecutor, RunQueue, runWorkerLoop, submitEnsemble } from '../../src/index.js';

const kinds = await testDbKinds();
const [NHITS, MLP, TIDE] = Object.values(ENSEMBLE_MEMBER_OFFSETS);

interface EnsembleRow {
  status: string;
  error_message: string | null;
  model_name: string;
  operation: string;
  unique_ids: string[];
  metrics: {
    cv: {
      points: number;
      windows: number;
      overall: Record<string, number>;
      baselines: Record<string, Record<string, number>>;
      significance: Record<string, { p_value: number }>;
    };
    ensemble: { method: string; members: { run_id: string; weight: number | null; error: number | null }[] };
  };
  logs: string;
}

describe.each(kinds)('the ensemble operation on %s', (kind) => {
  let db: TestDb;
  let artifacts: string;
  let queue: RunQueue;
  let fixture: EnsembleFixture;
  const drain = async () => {
    const execute = createRunExecutor({ db, artifactsRoot: artifacts, cpusPerRun: 1, computeThread: false });
    try {
      await runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 20 });
    } finally {
      await execute.close();
    }
  };
  const runRow = async (id: string): Promise<EnsembleRow> =>
    (
      await db.query<EnsembleRow>(
        `SELECT status, error_message, model_name, operation, unique_ids, metrics, logs FROM nf_model_runs WHERE id = $1`,
        [id],
      )
    ).rows[0] as EnsembleRow;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-ensemble-'));
    queue = new RunQueue(db, { workerId: `ensemble-${kind}` });
    fixture = await seedEnsembleMembers(db);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('a mean of two members: forecasts and evaluated rows are the mean, scored against the baselines', async () => {
    const [a, b] = fixture.memberIds;
    const { runId } = await submitEnsemble(db, queue, { members: [a, b] });
    await drain();
    const row = await runRow(runId);
    expect({ status: row.status, error: row.error_message }).toEqual({ status: 'finished', error: null });
    expect([row.model_name, row.operation, row.unique_ids]).toEqual(['ensemble', 'ensemble', ['N1', 'N2']]);
    // Mean offset (1 − 2) / 2 = −0.5 at every point: MAE 0.5 over 2 series × 2 windows × h 2.
    expect(row.metrics.cv.points).toBe(8);
    expect(row.metrics.cv.windows).toBe(4);
    expect(row.metrics.cv.overall.mae).toBeCloseTo(0.5, 12);
    expect(Object.keys(row.metrics.cv.baselines).length).toBeGreaterThan(0);
    expect(Object.keys(row.metrics.cv.significance).length).toBeGreaterThan(0);
    const forecasts = await db.query<{ unique_id: string; ds: string; value: number }>(
      `SELECT unique_id, ds::text AS ds, value FROM nf_predictions WHERE run_id = $1 AND model = 'Ensemble' ORDER BY unique_id, ds`,
      [runId],
    );
    expect(forecasts.rows).toEqual(
      ['N1', 'N2'].flatMap((id) =>
        [30, 31].map((t) => ({
          unique_id: id,
          ds: ensembleTestDay(t),
          value: ensembleTestY(id, t) + (NHITS! + MLP!) / 2,
        })),
      ),
    );
    expect(row.metrics.ensemble.members.map((m) => [m.weight, m.error])).toEqual([
      [0.5, Math.abs(NHITS!)],
      [0.5, Math.abs(MLP!)],
    ]);
    const members = await listEnsembleMembers(db, runId);
    expect(members.map((m) => [m.run_id, m.position, m.weight, m.error])).toEqual([
      [a, 1, 0.5, Math.abs(NHITS!)],
      [b, 2, 0.5, Math.abs(MLP!)],
    ]);
    expect((await listEnsemblesOfMember(db, a, 10)).map((e) => [e.run_id, e.method])).toContainEqual([
      runId,
      'mean',
    ]);
  });

  it('inverse_error: equal weights for the first window (nothing known yet), then 1 / MAE; the forecast by all windows', async () => {
    const { runId } = await submitEnsemble(db, queue, {
      members: [...fixture.memberIds],
      method: 'inverse_error',
    });
    await drain();
    const row = await runRow(runId);
    expect(row.status).toBe('finished');
    const inverse = [NHITS!, MLP!, TIDE!].map((o) => 1 / Math.abs(o));
    const total = inverse.reduce((s, v) => s + v, 0);
    row.metrics.ensemble.members.forEach((m, i) => expect(m.weight).toBeCloseTo(inverse[i]! / total, 12));
    // First window: the mean offset (1 − 2 + 0.5) / 3; second: the weighted offset.
    const weighted = [NHITS!, MLP!, TIDE!].reduce((s, o, i) => s + (o * inverse[i]!) / total, 0);
    const expectedMae = (Math.abs((NHITS! + MLP! + TIDE!) / 3) + Math.abs(weighted)) / 2;
    expect(row.metrics.cv.overall.mae).toBeCloseTo(expectedMae, 12);
    expect(row.logs).toContain('1 window(s) weighted equally');
  });

  it('median of three: the middle member at every point', async () => {
    const { runId } = await submitEnsemble(db, queue, { members: [...fixture.memberIds], method: 'median' });
    await drain();
    const row = await runRow(runId);
    expect(row.metrics.cv.overall.mae).toBeCloseTo(Math.abs(TIDE!), 12);
    expect(row.metrics.ensemble.members.every((m) => m.weight === null)).toBe(true);
  });

  it('refuses members that cannot be combined, naming the member and the fix, and queues nothing', async () => {
    const [a, b] = fixture.memberIds;
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nf_model_runs');
    await expect(submitEnsemble(db, queue, { members: [a, fixture.cancelledId] })).rejects.toThrow(
      new ConfigError(`members: run ${fixture.cancelledId} is cancelled; an ensemble combines finished runs`),
    );
    await expect(submitEnsemble(db, queue, { members: [a, fixture.otherTableId] })).rejects.toThrow(
      /members: the runs differ in table .*one table, game and horizon/,
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(submitEnsemble(db, queue, { members: [a, unknown] })).rejects.toThrow(NotFoundError);
    await expect(submitEnsemble(db, queue, { members: [a] })).rejects.toThrow(/at least 2 runs/);
    await expect(submitEnsemble(db, queue, { members: [a, a] })).rejects.toThrow(/each run once/);
    await expect(submitEnsemble(db, queue, { members: [a, b], method: 'mode' as never })).rejects.toThrow(
      /method/,
    );
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nf_model_runs');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
