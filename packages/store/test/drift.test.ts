import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  insertDriftCheck,
  insertResidualAnomalies,
  latestTableDriftChecks,
  listResidualAnomalies,
  type NewDriftMetric,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const metric = (feature: string, name: string, value: number, drifted: boolean | null): NewDriftMetric => ({
  unique_id: 'N1',
  feature,
  metric: name,
  value,
  p_value: name === 'ks' ? 1 / 3 : null,
  threshold: drifted === null ? null : 0.05,
  drifted,
  details: { n_reference: 100, note: 'x' },
});

const windows = {
  reference_start: '2020-01-01',
  reference_end: '2020-12-31',
  window_start: '2021-01-01',
  window_end: '2021-06-30',
};

describe.each(await testDbKinds())('drift and anomaly repository on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await db?.close();
  });

  test('a table check stores its rows under one check id and reads back as the latest per table and game', async () => {
    const first = await insertDriftCheck(db, {
      table_name: 'nf_loto_a',
      loto: 'loto6',
      ...windows,
      metrics: [metric('y', 'ks', 0.1, false), metric('y', 'psi', 0.02, null)],
    });
    const second = await insertDriftCheck(db, {
      table_name: 'nf_loto_a',
      loto: 'loto6',
      ...windows,
      metrics: [metric('y', 'ks', 0.4, true)],
    });
    await insertDriftCheck(db, {
      table_name: 'nf_loto_a',
      loto: 'loto7',
      ...windows,
      metrics: [metric('hist_x', 'wasserstein', 2.5, null)],
    });
    await insertDriftCheck(db, { table_name: 'nf_loto_b', loto: 'loto6', ...windows, metrics: [] });
    expect(first.checkId).not.toBe(second.checkId);

    const latest = await latestTableDriftChecks(db, { table: 'nf_loto_a' });
    expect(latest.map((r) => [r.loto, r.feature, r.metric, r.value])).toEqual([
      ['loto6', 'y', 'ks', 0.4],
      ['loto7', 'hist_x', 'wasserstein', 2.5],
    ]);
    expect(latest[0]).toMatchObject({
      check_id: second.checkId,
      table_name: 'nf_loto_a',
      run_id: null,
      registry_id: null,
      unique_id: 'N1',
      p_value: 1 / 3,
      threshold: 0.05,
      drifted: true,
      details: { n_reference: 100, note: 'x' },
      ...windows,
    });
    expect(latest[0]?.at).toBeInstanceOf(Date);
    expect((await latestTableDriftChecks(db, { table: 'nf_loto_a', loto: 'loto7' })).length).toBe(1);
    // An empty check stored nothing, so nf_loto_b has no check.
    expect(await latestTableDriftChecks(db, { table: 'nf_loto_b' })).toEqual([]);
    expect((await latestTableDriftChecks(db)).every((r) => r.table_name === 'nf_loto_a')).toBe(true);
  });

  test('a batch with one bad row stores none of it', async () => {
    const bad = { ...metric('y', 'ks', 0.3, true), p_value: 2 };
    await expect(
      insertDriftCheck(db, {
        table_name: 'nf_loto_c',
        loto: 'loto6',
        ...windows,
        metrics: [metric('y', 'psi', 0.3, true), bad],
      }),
    ).rejects.toThrow(/nf_drift_metrics_p_value_check/);
    expect(await latestTableDriftChecks(db, { table: 'nf_loto_c' })).toEqual([]);
    await expect(
      insertDriftCheck(db, { ...windows, metrics: [metric('y', 'psi', 0.3, true)] }),
    ).rejects.toThrow(/nf_drift_metrics_subject_check/);
  });

  test('residual anomalies of a run round-trip in one batch, listed by series, day and method', async () => {
    const runId = (
      await db.query<{ id: string }>(`INSERT INTO nf_model_runs (status) VALUES ('finished') RETURNING id`)
    ).rows[0]!.id;
    await insertResidualAnomalies(db, runId, [
      {
        unique_id: 'N2',
        ds: '2024-01-08',
        model: 'NHITS',
        residual: 9,
        score: 4.2,
        method: 'mad',
        threshold: 3.5,
      },
      {
        unique_id: 'N1',
        ds: '2024-01-11',
        model: null,
        residual: -7,
        score: 6,
        method: 'cusum',
        threshold: 5,
      },
      {
        unique_id: 'N1',
        ds: '2024-01-11',
        model: null,
        residual: -7,
        score: -3.1,
        method: 'zscore',
        threshold: null,
      },
    ]);
    await insertResidualAnomalies(db, runId, []);
    const all = await listResidualAnomalies(db, runId);
    expect(all.map((r) => [r.unique_id, r.ds, r.method, r.score])).toEqual([
      ['N1', '2024-01-11', 'cusum', 6],
      ['N1', '2024-01-11', 'zscore', -3.1],
      ['N2', '2024-01-08', 'mad', 4.2],
    ]);
    expect(all[2]).toMatchObject({ run_id: runId, model: 'NHITS', residual: 9, threshold: 3.5 });
    expect((await listResidualAnomalies(db, runId, 'mad')).length).toBe(1);
    await expect(
      insertResidualAnomalies(db, runId, [
        {
          unique_id: 'N1',
          ds: '2024-01-12',
          model: null,
          residual: 1,
          score: 1,
          method: 'iqr',
          threshold: 1.5,
        },
        {
          unique_id: 'N1',
          ds: null as unknown as string,
          model: null,
          residual: 1,
          score: 1,
          method: 'iqr',
          threshold: 1.5,
        },
      ]),
    ).rejects.toThrow(/ds/);
    expect((await listResidualAnomalies(db, runId, 'iqr')).length).toBe(0);
  });
});
