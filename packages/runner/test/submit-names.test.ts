/**
 * A sweep written with NeuralForecast's class names is stored with the lab's ids, and resuming it
 * plans exactly the runs it queued (nothing added twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSweepSpec } from '@nflab/store';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import { RunQueue, resumeSweep, submitSweep } from '../src/index.js';
import { openLoto6Db } from './execute/loto6-db.js';

const kinds = await testDbKinds();

const SWEEP = {
  mode: 'grid',
  loto: 'loto6',
  unique_ids: ['N1'],
  model: ['AutoNHITS', 'MLP'],
  h: [1],
  loss: ['mae'],
  num_samples: 1,
  max_steps: 2,
  config: { val_check_steps: 1, input_size: 4 },
};

describe.each(kinds)('submitting a sweep with NeuralForecast names (%s)', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openLoto6Db(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores the ids and resumes without adding runs', async () => {
    const queue = new RunQueue(db);
    const { sweepId, runIds } = await submitSweep(db, queue, SWEEP);
    expect(runIds).toHaveLength(2);
    const stored = await findSweepSpec(db, sweepId);
    expect((stored?.spec as { model: unknown }).model).toEqual(['auto_nhits', 'mlp']);
    const { rows } = await db.query<{ model: string }>(
      "SELECT spec->>'model' AS model FROM nf_model_runs WHERE sweep_id = $1 ORDER BY 1",
      [sweepId],
    );
    expect(rows.map((row) => row.model)).toEqual(['auto_nhits', 'mlp']);
    expect(await resumeSweep(db, queue, sweepId)).toEqual({ added: 0, requeued: 0 });
  });
});
