import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertFeatureImportanceRows, listFeatureImportance, type NewFeatureImportance } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const row = (
  feature: string,
  uniqueId: string | null,
  rank: number,
  importance: number,
): NewFeatureImportance => ({
  method: 'permutation',
  feature,
  unique_id: uniqueId,
  importance,
  std: 0.01,
  ci_low: importance - 0.02,
  ci_high: importance + 0.02,
  rank,
  details: { increases: [importance, 1 / 3], kind: 'futr' },
});

describe.each(await testDbKinds())('feature importance repository on %s', (kind) => {
  let db: TestDb;
  let runId: string;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    runId = (
      await db.query<{ id: string }>(
        `INSERT INTO nf_model_runs (status, operation) VALUES ('finished', 'importance') RETURNING id`,
      )
    ).rows[0]!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  test('rows round-trip exactly and list ranked: all series first, then each series', async () => {
    await insertFeatureImportanceRows(db, runId, [
      row('futr_b', 'N2', 1, 0.5),
      row('futr_a', null, 2, 0.1),
      row('futr_b', null, 1, 1 / 7),
      row('futr_a', 'N1', 1, -0.25),
      { ...row('futr_c', 'N1', 2, 0), std: null, ci_low: null, ci_high: null, details: {} },
    ]);
    const all = await listFeatureImportance(db, runId);
    expect(all.map((r) => [r.unique_id, r.feature, r.rank])).toEqual([
      [null, 'futr_b', 1],
      [null, 'futr_a', 2],
      ['N1', 'futr_a', 1],
      ['N1', 'futr_c', 2],
      ['N2', 'futr_b', 1],
    ]);
    expect(all[0]).toMatchObject({
      run_id: runId,
      method: 'permutation',
      importance: 1 / 7,
      std: 0.01,
      ci_low: 1 / 7 - 0.02,
      details: { increases: [1 / 7, 1 / 3], kind: 'futr' },
    });
    expect(all[3]).toMatchObject({ std: null, ci_low: null, ci_high: null, details: {} });
    expect((await listFeatureImportance(db, runId, 'overall')).map((r) => r.feature)).toEqual([
      'futr_b',
      'futr_a',
    ]);
    expect((await listFeatureImportance(db, runId, { uniqueId: 'N2' })).map((r) => r.feature)).toEqual([
      'futr_b',
    ]);
    await insertFeatureImportanceRows(db, runId, []);
    expect(await listFeatureImportance(db, runId)).toHaveLength(5);
  });

  test('a column is stored once per run and series (the all-series row included), with a known method', async () => {
    await expect(insertFeatureImportanceRows(db, runId, [row('futr_a', null, 3, 1)])).rejects.toThrow(
      /nf_feature_importance_run_id_unique_id_feature_key/,
    );
    await expect(
      insertFeatureImportanceRows(db, runId, [
        { ...row('futr_z', null, 1, 1), method: 'lime' as 'permutation' },
      ]),
    ).rejects.toThrow(/nf_feature_importance_method_check/);
    await expect(insertFeatureImportanceRows(db, runId, [row('futr_z', null, 0, 1)])).rejects.toThrow(
      /nf_feature_importance_rank_check/,
    );
  });

  test('the rows go with their run', async () => {
    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [runId]);
    expect(await listFeatureImportance(db, runId)).toEqual([]);
  });
});
