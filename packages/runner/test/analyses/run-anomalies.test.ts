import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, ConflictError, InputError, NotFoundError } from '@nflab/contracts';
import { insertCvResultRows, listResidualAnomalies } from '@nflab/store';
import {
  openTestDb,
  RESIDUAL_SPIKE,
  RESIDUAL_SPIKE_INDEX,
  residualRunDay,
  seedResidualRun,
  testDbKinds,
  type TestDb,
} from '@nflab/store/testing';
import { detectRunAnomalies } from '../../src/analyses/run-anomalies.js';

const SPIKE_DAY = residualRunDay(RESIDUAL_SPIKE_INDEX);

describe.each(await testDbKinds())('detectRunAnomalies on %s', (kind) => {
  let db: TestDb;
  let runId: string;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    runId = await seedResidualRun(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  test.each(['zscore', 'mad', 'iqr'] as const)(
    '%s flags exactly the spike, from the latest cutoff, against the first half; constant residuals are skipped',
    async (method) => {
      const result = await detectRunAnomalies({ db, runId, method });
      expect(result.reference).toBe('first_half');
      expect(result.anomalies).toEqual([
        expect.objectContaining({
          unique_id: 'N1',
          ds: SPIKE_DAY,
          model: 'AutoMLP',
          residual: RESIDUAL_SPIKE,
          method,
        }),
      ]);
      expect(result.series.map((s) => [s.uniqueId, s.points, s.referencePoints, s.flagged])).toEqual([
        ['N1', 60, 30, 1],
        ['N2', 60, 30, 0],
      ]);
      expect(result.skipped).toEqual([
        expect.objectContaining({ uniqueId: 'N3', reason: expect.stringContaining('no spread') }),
      ]);
      const stored = await listResidualAnomalies(db, runId, method);
      expect(stored.map((row) => [row.unique_id, row.ds, row.residual])).toEqual([
        ['N1', SPIKE_DAY, RESIDUAL_SPIKE],
      ]);
    },
  );

  test('cusum signals from the spike on; a higher threshold flags nothing; detecting again replaces the rows', async () => {
    const cusum = await detectRunAnomalies({ db, runId, method: 'cusum' });
    expect(cusum.anomalies[0]).toMatchObject({ unique_id: 'N1', ds: SPIKE_DAY });
    expect(cusum.anomalies.every((a) => a.unique_id === 'N1' && a.ds >= SPIKE_DAY)).toBe(true);
    expect((await listResidualAnomalies(db, runId, 'cusum')).length).toBe(cusum.anomalies.length);

    const strict = await detectRunAnomalies({ db, runId, method: 'zscore', options: { threshold: 1000 } });
    expect(strict.anomalies).toEqual([]);
    expect(await listResidualAnomalies(db, runId, 'zscore')).toEqual([]);
    // Other methods' rows stay.
    expect((await listResidualAnomalies(db, runId, 'cusum')).length).toBe(cusum.anomalies.length);
  });

  test("'self' scores each series against all its residuals", async () => {
    const result = await detectRunAnomalies({ db, runId, method: 'mad', options: { reference: 'self' } });
    expect(result.series[0]).toMatchObject({ uniqueId: 'N1', referencePoints: 60, flagged: 1 });
  });

  test('unknown, unfinished and unevaluated runs, and options a detector does not read, are refused', async () => {
    await expect(
      detectRunAnomalies({ db, runId: '00000000-0000-4000-8000-000000000000', method: 'zscore' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const running = await seedResidualRun(db, 'running');
    await expect(detectRunAnomalies({ db, runId: running, method: 'zscore' })).rejects.toThrow(ConflictError);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_model_runs (model_name, status) VALUES ('AutoMLP', 'finished') RETURNING id`,
    );
    const bare = rows[0]!.id;
    await expect(detectRunAnomalies({ db, runId: bare, method: 'zscore' })).rejects.toThrow(
      /no cross-validation or test forecasts with known actuals/,
    );
    await insertCvResultRows(db, bare, {
      model: 'AutoMLP',
      rows: [
        {
          unique_id: 'N1',
          ds: '2024-01-01',
          step: null,
          cutoff: '2023-12-31',
          cutoff_step: null,
          y: null,
          suffix: '',
          value: 1,
        },
      ],
    });
    await expect(detectRunAnomalies({ db, runId: bare, method: 'zscore' })).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(detectRunAnomalies({ db, runId, method: 'zscore', options: { h: 4 } })).rejects.toThrow(
      'h applies to cusum, not to zscore',
    );
    await expect(detectRunAnomalies({ db, runId, method: 'iqr', options: { k: -1 } })).rejects.toBeInstanceOf(
      InputError,
    );
  });
});
