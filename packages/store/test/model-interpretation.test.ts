import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getModelInterpretation, recordModelInterpretation } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const weights = {
  input_size: 2,
  h: 1,
  static: { variables: ['stat_a'], mean: [1] },
  past: {
    variables: ['hist_x', 'observed_target'],
    mean: [0.25, 0.75],
    over_time: [
      [0.5, 0.5],
      [0, 1],
    ],
  },
  future: null,
  attention: [[0.125, 0.375, 0.5]],
};

describe.each(await testDbKinds())('model interpretation repository on %s', (kind) => {
  let db: TestDb;
  let runId: string;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    runId = (
      await db.query<{ id: string }>(`INSERT INTO nf_model_runs (status) VALUES ('finished') RETURNING id`)
    ).rows[0]!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  test('a run without one reads null; a recorded one round-trips exactly and is replaced, not duplicated', async () => {
    expect(await getModelInterpretation(db, runId)).toBeNull();
    await recordModelInterpretation(db, runId, { model: 'tft', windows: 3, weights });
    expect(await getModelInterpretation(db, runId)).toMatchObject({
      run_id: runId,
      model: 'tft',
      windows: 3,
      weights,
    });
    await recordModelInterpretation(db, runId, { model: 'tft', windows: 5, weights: { ...weights, h: 2 } });
    const row = await getModelInterpretation(db, runId);
    expect([row?.windows, row?.weights.h]).toEqual([5, 2]);
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM nf_model_interpretation WHERE run_id = $1',
      [runId],
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  test('at least one window, and the row goes with its run', async () => {
    await expect(recordModelInterpretation(db, runId, { model: 'tft', windows: 0, weights })).rejects.toThrow(
      /nf_model_interpretation_windows_check/,
    );
    await db.query('DELETE FROM nf_model_runs WHERE id = $1', [runId]);
    expect(await getModelInterpretation(db, runId)).toBeNull();
  });
});
