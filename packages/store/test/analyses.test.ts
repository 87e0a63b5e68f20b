import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  findAnalysedRuns,
  findAnalysis,
  findSweepAnalysedRuns,
  insertCvResultRows,
  listRunAnalyses,
  listRunPoints,
  saveAnalysis,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const FINGERPRINT = 'a'.repeat(64);

describe.each(await testDbKinds())('analyses repository on %s', (kind) => {
  let db: TestDb;
  let sweepId: string;
  let runA: string;
  let runB: string;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    sweepId = (
      await db.query<{ id: string }>(`INSERT INTO nf_sweeps (name, spec) VALUES ('s', '{}') RETURNING id`)
    ).rows[0]!.id;
    const insertRun = async (model: string): Promise<string> =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO nf_model_runs (model_name, status, sweep_id, metrics) VALUES ($1, 'finished', $2, $3) RETURNING id`,
          [model, sweepId, JSON.stringify({ metric: 'mae', cv: { overall: { mae: 1 } } })],
        )
      ).rows[0]!.id;
    runA = await insertRun('AutoMLP');
    runB = await insertRun('AutoNHITS');
    const point = (ds: string, suffix: string, value: number) => ({
      unique_id: 'N1',
      ds,
      step: null,
      cutoff: '2020-01-01',
      cutoff_step: null,
      y: 3,
      suffix,
      value,
    });
    await insertCvResultRows(db, runA, {
      model: 'AutoMLP',
      rows: [point('2020-01-08', '', 2.5), point('2020-01-04', '', 3.5), point('2020-01-04', '-lo-90', 1)],
    });
    await insertCvResultRows(db, runB, {
      model: 'AutoNHITS',
      rows: [
        { unique_id: 'N2', ds: null, step: 12, cutoff: null, cutoff_step: 10, y: null, suffix: '', value: 4 },
      ],
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  test('an analysis is stored once per kind and fingerprint and read back, also by run', async () => {
    const first = await saveAnalysis(db, {
      kind: 'compare',
      fingerprint: FINGERPRINT,
      inputs: { run_ids: [runA, runB] },
      result: { verdict: 'no' },
      run_ids: [runA, runB],
      created_by: 'alice',
    });
    const again = await saveAnalysis(db, {
      kind: 'compare',
      fingerprint: FINGERPRINT,
      inputs: { run_ids: [runA, runB] },
      result: { verdict: 'no' },
      run_ids: [runA, runB],
      created_by: 'bob',
    });
    expect(again.id).toBe(first.id);
    expect(again.created_by).toBe('alice');
    expect(await findAnalysis(db, 'compare', FINGERPRINT)).toMatchObject({ result: { verdict: 'no' } });
    expect(await findAnalysis(db, 'leaderboard', FINGERPRINT)).toBeUndefined();
    expect((await listRunAnalyses(db, runB, 10)).map((a) => a.kind)).toEqual(['compare']);
  });

  test('a kind outside the vocabulary pattern or a malformed fingerprint is refused by the schema', async () => {
    const base = { inputs: {}, result: {}, run_ids: [], created_by: null };
    await expect(
      saveAnalysis(db, { ...base, kind: 'Drop Table', fingerprint: FINGERPRINT }),
    ).rejects.toThrow();
    await expect(saveAnalysis(db, { ...base, kind: 'compare', fingerprint: 'xyz' })).rejects.toThrow();
  });

  test('runs and their point forecasts are read for analysis (suffix rows left out, stepped series as text)', async () => {
    expect((await findAnalysedRuns(db, [runB, runA])).map((r) => r.model_name)).toEqual([
      'AutoMLP',
      'AutoNHITS',
    ]);
    expect((await findSweepAnalysedRuns(db, sweepId)).map((r) => r.id)).toEqual([runA, runB]);
    const points = await listRunPoints(db, [runA, runB], 100);
    expect(points.filter((p) => p.run_id === runA).map((p) => [p.ds, p.value])).toEqual([
      ['2020-01-04', 3.5],
      ['2020-01-08', 2.5],
    ]);
    expect(points.find((p) => p.run_id === runB)).toMatchObject({ ds: '12', cutoff: '10', y: null });
    expect(await listRunPoints(db, [runA, runB], 1)).toHaveLength(1);
  });
});
