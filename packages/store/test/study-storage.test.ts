import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ConflictError, NotFoundError } from '@nflab/contracts';
import { createPgStudyStorage, openPostgres, type Db } from '@nflab/store';
import { openTestDb, testDbKinds, truncateLabTables, type TestDb } from '@nflab/store/testing';
import {
  createMemoryStorage,
  createNopPruner,
  createRandomSampler,
  STORAGE_CHECKS,
  Study,
  type StudyStorage,
} from '@nflab/tune';

const newRun = async (db: Db): Promise<string> => {
  const { rows } = await db.query<{ id: string }>('INSERT INTO nf_model_runs DEFAULT VALUES RETURNING id');
  return rows[0]!.id;
};

describe.each(await testDbKinds())('PostgreSQL study storage on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await truncateLabTables(db);
  });

  describe('tune storage conformance', () => {
    for (const [name, run] of Object.entries(STORAGE_CHECKS))
      test(name, () => run(async () => createPgStudyStorage(db)));
  });

  test('non-finite values, the space distribution and errors round-trip', async () => {
    const s = createPgStudyStorage(db);
    const st = await s.createStudy({
      name: 'v',
      direction: 'minimize',
      space: { lr: { kind: 'float', low: 1e-4, high: 1, log: true } },
    });
    const t = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.setTrialParams(t.id, { lr: 0.01, free: 'x' });
    await s.reportIntermediate(t.id, 0, Number.NaN);
    await s.reportIntermediate(t.id, 1, Number.POSITIVE_INFINITY);
    await s.reportIntermediate(t.id, 2, Number.NEGATIVE_INFINITY);
    await s.finishTrial(t.id, { state: 'COMPLETE', value: Number.NEGATIVE_INFINITY });
    const got = await s.getTrial(t.id);
    expect(got?.intermediateValues).toEqual({ 0: Number.NaN, 1: Infinity, 2: -Infinity });
    expect(got?.value).toBe(-Infinity);
    expect(got?.datetimeStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const params = await db.query<{ name: string; value: unknown; distribution: unknown }>(
      'SELECT name, value, distribution FROM nf_trial_params ORDER BY name',
    );
    expect(params.rows).toEqual([
      { name: 'free', value: 'x', distribution: null },
      { name: 'lr', value: 0.01, distribution: { kind: 'float', low: 1e-4, high: 1, log: true } },
    ]);
    const values = await db.query<{ objective: number; value: number }>(
      'SELECT objective, value FROM nf_trial_values WHERE trial_id = $1',
      [t.id],
    );
    expect(values.rows).toEqual([{ objective: 0, value: -Infinity }]);

    const c = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.finishTrial(c.id, { state: 'FAIL', error: { message: 'stopped', cancelled: true } });
    expect((await s.getTrial(c.id))?.error).toEqual({ message: 'stopped', cancelled: true });
    const cancelled = await db.query('SELECT 1 FROM nf_trials WHERE id = $1 AND cancelled', [c.id]);
    expect(cancelled.rows).toHaveLength(1);
    await expect(s.heartbeat(c.id)).rejects.toThrow(ConflictError);
    await expect(s.setTrialParams(c.id, {})).rejects.toThrow(ConflictError);
    await expect(s.setTrialUserAttr(c.id, 'after', true)).resolves.toBeUndefined();
    await expect(s.heartbeat(9999)).rejects.toThrow(NotFoundError);
    await expect(s.createTrial(9999, { state: 'RUNNING' })).rejects.toThrow(NotFoundError);
    await expect(s.listTrials(9999)).rejects.toThrow(NotFoundError);
  });

  test('a study created with runId puts its trials under the run, with the worker id', async () => {
    const runId = await newRun(db);
    const s = createPgStudyStorage(db, { runId, workerId: 'w-1' });
    const st = await s.createStudy({ name: 'run-search', direction: 'minimize' });
    const t = await s.createTrial(st.id, { state: 'RUNNING' });
    await s.createTrial(st.id, { state: 'WAITING' });
    const { rows } = await db.query<{ number: number; run_id: string; worker_id: string | null }>(
      'SELECT number, run_id, worker_id FROM nf_trials ORDER BY number',
    );
    expect(rows).toEqual([
      { number: 0, run_id: runId, worker_id: 'w-1' },
      { number: 1, run_id: runId, worker_id: null },
    ]);
    await s.heartbeat(t.id);
    expect((await s.getTrial(t.id))?.heartbeatAt).not.toBeNull();
    await expect(s.createStudy({ name: 'second', direction: 'minimize' })).rejects.toThrow(ConflictError);
    const unknownRun = createPgStudyStorage(db, { runId: '00000000-0000-4000-8000-000000000000' });
    await expect(unknownRun.createStudy({ name: 'orphan', direction: 'minimize' })).rejects.toThrow(
      NotFoundError,
    );
  });

  test('a seeded search samples the same parameters as in memory: the space keeps its declared order', async () => {
    // Declared out of alphabetical and length order, as jsonb would reorder them.
    const space = {
      zeta: { kind: 'float', low: 0, high: 1 },
      learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
      a: { kind: 'int', low: 1, high: 9 },
      input_size: { kind: 'categorical', choices: [4, 8, 16] },
    } as const;
    const sample = async (storage: StudyStorage) => {
      const study = await Study.create({
        storage,
        name: 'ordered',
        space,
        sampler: createRandomSampler({ seed: 11 }),
        pruner: createNopPruner(),
      });
      await study.optimize((trial) => trial.get<number>('zeta'), { nTrials: 3 });
      return (await study.trials()).map((t) =>
        Object.fromEntries(Object.keys(space).map((k) => [k, t.params[k]])),
      );
    };
    const inDb = await sample(createPgStudyStorage(db, { runId: await newRun(db) }));
    const inMemory = await sample(createMemoryStorage());
    expect(inDb).toEqual(inMemory);
    const stored = await db.query<{ space: Record<string, unknown> }>(
      "SELECT space FROM nf_studies WHERE name = 'ordered'",
    );
    expect(Object.keys(stored.rows[0]?.space ?? {})).toEqual(Object.keys(space));
  });

  test('a real Study optimizes a quadratic with 4 concurrent trials into the database', async () => {
    const runId = await newRun(db);
    const study = await Study.create({
      storage: createPgStudyStorage(db, { runId, workerId: 'quadratic' }),
      name: 'quadratic',
      space: { x: { kind: 'float', low: -3, high: 3 }, y: { kind: 'int', low: 0, high: 4 } },
      sampler: createRandomSampler({ seed: 7 }),
      pruner: createNopPruner(),
    });
    await study.optimize(
      async (trial) => {
        const x = trial.get<number>('x');
        await trial.report(0, (x - 1) ** 2 + 1);
        return (x - 1) ** 2 + trial.get<number>('y');
      },
      { nTrials: 12, concurrency: 4 },
    );
    const trials = await db.query<{ number: number; state: string; value: number; run_id: string }>(
      'SELECT number, state, value, run_id FROM nf_trials ORDER BY number',
    );
    expect(trials.rows.map((r) => r.number)).toEqual([...Array(12).keys()]);
    expect(trials.rows.every((r) => r.state === 'COMPLETE' && r.run_id === runId)).toBe(true);
    const mismatched = await db.query(
      `SELECT t.id FROM nf_trials t LEFT JOIN nf_trial_values v ON v.trial_id = t.id AND v.objective = 0
       WHERE v.value IS DISTINCT FROM t.value
          OR t.value IS DISTINCT FROM
             ((SELECT (value #>> '{}')::float8 FROM nf_trial_params WHERE trial_id = t.id AND name = 'x') - 1) ^ 2
             + (SELECT (value #>> '{}')::float8 FROM nf_trial_params WHERE trial_id = t.id AND name = 'y')`,
    );
    expect(mismatched.rows).toEqual([]);
    const counts = await db.query<{ params: number; drawn: number; steps: number }>(
      `SELECT (SELECT count(*) FROM nf_trial_params)::int AS params,
              (SELECT count(*) FROM nf_trial_params WHERE distribution IS NOT NULL)::int AS drawn,
              (SELECT count(*) FROM nf_trial_intermediate_values)::int AS steps`,
    );
    expect(counts.rows[0]).toEqual({ params: 24, drawn: 24, steps: 12 });
    const listed = await study.storage.listTrials(study.id);
    expect(listed.every((t) => t.intermediateValues[0] !== undefined && t.datetimeComplete !== null)).toBe(
      true,
    );
  });

  test.runIf(kind === 'postgres')('two connections number densely and never pop a trial twice', async () => {
    const url = db.url as string;
    const [a, b] = await Promise.all([openPostgres({ url }), openPostgres({ url })]);
    try {
      const storages: StudyStorage[] = [
        createPgStudyStorage(a, { workerId: 'a' }),
        createPgStudyStorage(b, { workerId: 'b' }),
      ];
      const st = await storages[0]!.createStudy({ name: 'shared', direction: 'minimize' });
      const joined = await storages[1]!.createStudy({
        name: 'shared',
        direction: 'minimize',
        loadIfExists: true,
      });
      expect(joined.id).toBe(st.id);
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          storages[i % 2]!.createTrial(st.id, { state: 'WAITING', params: { i } }),
        ),
      );
      const numbers = (await storages[1]!.listTrials(st.id)).map((t) => t.number);
      expect(numbers).toEqual([...Array(24).keys()]);
      const popped = await Promise.all(
        Array.from({ length: 30 }, (_, i) => storages[i % 2]!.popWaitingTrial(st.id)),
      );
      const ids = popped.flatMap((t) => (t ? [t.id] : []));
      expect(ids).toHaveLength(24);
      expect(new Set(ids).size).toBe(24);
      const workers = await a.query<{ worker_id: string; n: number }>(
        `SELECT worker_id, count(*)::int AS n FROM nf_trials WHERE state = 'RUNNING' GROUP BY worker_id`,
      );
      expect(workers.rows.reduce((sum, r) => sum + r.n, 0)).toBe(24);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
