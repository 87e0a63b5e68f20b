/**
 * The importance operation end to end: a tiny MLP trained on a hand-made panel where y rests on
 * futr_signal and never on futr_noise, then each method as a linked run whose ranked rows land in
 * nf_feature_importance — on PGlite and on the PostgreSQL server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, type ImportanceOptionsInput } from '@nflab/contracts';
import { NeuralForecast } from '@nflab/engine';
import { listFeatureImportance, type FeatureImportanceRow } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import {
  createRunExecutor,
  RunQueue,
  runWorkerLoop,
  submitModelOperation,
  submitRun,
} from '../../src/index.js';

const kinds = await testDbKinds();
const DAYS = 90;

const day = (i: number): string => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);

/** Two series: y = level + 3·futr_signal; futr_noise is drawn apart and never enters y. */
const createPanelTable = async (db: TestDb): Promise<void> => {
  await db.exec(`CREATE TABLE nf_loto_synth (loto TEXT, unique_id TEXT, ds DATE, y DOUBLE PRECISION,
    futr_signal DOUBLE PRECISION, futr_noise DOUBLE PRECISION)`);
  const rng = new Rng(11, 'importance-run-panel');
  const rows = ['A', 'B'].flatMap((id, k) =>
    Array.from({ length: DAYS }, (_, t) => {
      const signal = rng.normal();
      return [id, day(t), 10 + 5 * k + 3 * signal, signal, rng.normal()] as const;
    }),
  );
  await db.query(
    `INSERT INTO nf_loto_synth SELECT 'synth', * FROM unnest($1::text[], $2::date[], $3::float8[], $4::float8[], $5::float8[])`,
    [0, 1, 2, 3, 4].map((c) => rows.map((r) => r[c])),
  );
};

const RUN = {
  table_name: 'nf_loto_synth',
  loto: 'synth',
  unique_ids: ['A', 'B'],
  model: 'mlp',
  config: { input_size: 3, hidden_size: 16, num_layers: 1, learning_rate: 0.02 },
  h: 2,
  max_steps: 150,
};

interface RunRow {
  status: string;
  error_message: string | null;
  operation: string;
  parent_run_id: string | null;
  metrics: { importance?: Record<string, unknown> & { ranking: { feature: string; rank: number }[] } };
  model_properties: { modelDir: string | null };
}

describe.each(kinds)('the importance operation on %s', (kind) => {
  let db: TestDb;
  let artifacts: string;
  let queue: RunQueue;
  let parent: string;
  /** Works the queue; in this thread unless `thread` (a compute thread costs seconds to start). */
  const drain = async (thread = false) => {
    const execute = createRunExecutor({ db, artifactsRoot: artifacts, cpusPerRun: 1, computeThread: thread });
    try {
      await runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 20 });
    } finally {
      await execute.close();
    }
  };
  const runRow = async (id: string): Promise<RunRow> =>
    (
      await db.query<RunRow>(
        'SELECT status, error_message, operation, parent_run_id, metrics, model_properties FROM nf_model_runs WHERE id = $1',
        [id],
      )
    ).rows[0] as RunRow;
  /** Runs one importance request on the parent and returns its run and rows. */
  const importance = async (options: ImportanceOptionsInput, thread = false) => {
    const { runId } = await submitModelOperation(db, queue, parent, { kind: 'importance', ...options });
    await drain(thread);
    const run = await runRow(runId);
    expect(run.error_message).toBeNull();
    expect(run).toMatchObject({ status: 'finished', operation: 'importance', parent_run_id: parent });
    return { run, rows: await listFeatureImportance(db, runId) };
  };
  const overall = (rows: readonly FeatureImportanceRow[]) => rows.filter((r) => r.unique_id === null);

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await createPanelTable(db);
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-importance-'));
    queue = new RunQueue(db);
    ({ runId: parent } = await submitRun(db, queue, {
      ...RUN,
      exogenous: { mode: 'explicit', futr_exog_list: ['futr_signal', 'futr_noise'] },
    }));
    await drain();
    expect((await runRow(parent)).status).toBe('finished');
  });
  afterAll(async () => {
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('permutation: ranks the column y rests on first, with an interval above zero, per series too', async () => {
    // On a compute thread, as workers run it: the result crosses the thread boundary intact.
    const { run, rows } = await importance({ method: 'permutation', repeats: 4, max_windows: 16 }, true);
    // Two columns, over all series and over each of the two.
    expect(rows).toHaveLength(6);
    const [first, second] = overall(rows);
    expect(first).toMatchObject({ feature: 'futr_signal', rank: 1, method: 'permutation' });
    expect(first?.ci_low).toBeGreaterThan(0);
    expect(second?.feature).toBe('futr_noise');
    expect(second!.importance).toBeLessThan(0.25 * first!.importance);
    expect((first?.details as { increases: number[] }).increases).toHaveLength(4);
    for (const id of ['A', 'B'])
      expect(rows.find((r) => r.unique_id === id && r.rank === 1)?.feature).toBe('futr_signal');
    expect(run.metrics.importance).toMatchObject({ method: 'permutation', repeats: 4, series: 2 });
    expect(run.metrics.importance?.ranking.map((r) => r.feature)).toEqual(['futr_signal', 'futr_noise']);
  });

  it('kernel_shap: per-window values sum to the forecast minus the expected value', async () => {
    const { run, rows } = await importance({ method: 'kernel_shap', max_windows: 6 });
    const summary = run.metrics.importance as unknown as {
      windows: { unique_id: string; cutoff: string }[];
      window_values: { fx: number; expected_value: number; exact: boolean }[];
    };
    expect(summary.windows).toHaveLength(6);
    const values = overall(rows).map((r) => (r.details as { values: number[] }).values);
    expect(overall(rows)[0]?.feature).toBe('futr_signal');
    // fx is the saved model's own forecast of the window (mean over h), from predict on the history.
    const nf = await NeuralForecast.load((await runRow(parent)).model_properties.modelDir as string);
    try {
      for (const [w, window] of summary.windows.entries()) {
        const { fx, expected_value, exact } = summary.window_values[w]!;
        expect(exact).toBe(true);
        const sum = values.reduce((s, v) => s + v[w]!, 0);
        expect(Math.abs(sum - (fx - expected_value))).toBeLessThan(1e-5);
        const { rows: history } = await db.query<{
          unique_id: string;
          ds: string;
          y: number;
          futr_signal: number;
          futr_noise: number;
        }>(
          `SELECT unique_id, ds::text AS ds, y, futr_signal, futr_noise FROM nf_loto_synth WHERE unique_id = $1 ORDER BY ds`,
          [window.unique_id],
        );
        const cut = history.findIndex((r) => r.ds === window.cutoff) + 1;
        const forecast = await nf.predict({
          df: history.slice(0, cut),
          futrDf: history.slice(cut, cut + 2).map(({ unique_id, ds, futr_signal, futr_noise }) => ({
            unique_id,
            ds,
            futr_signal,
            futr_noise,
          })),
        });
        expect(fx).toBeCloseTo(((forecast[0]!.MLP as number) + (forecast[1]!.MLP as number)) / 2, 4);
      }
    } finally {
      nf.dispose();
    }
  });

  it('integrated_gradients: records ranked rows and a small completeness gap per window', async () => {
    const { run, rows } = await importance({ method: 'integrated_gradients', steps: 32, max_windows: 6 });
    expect(rows).toHaveLength(6);
    expect(overall(rows)[0]?.feature).toBe('futr_signal');
    const summary = run.metrics.importance as unknown as {
      window_values: { fx: number; f_baseline: number; completeness_gap: number }[];
    };
    for (const v of summary.window_values)
      expect(Math.abs(v.completeness_gap)).toBeLessThan(0.05 * Math.max(1, Math.abs(v.fx - v.f_baseline)));
  });

  it('a model trained without exogenous columns fails with nothing to explain', async () => {
    const { runId: plain } = await submitRun(db, queue, { ...RUN, max_steps: 2 });
    await drain();
    const { runId } = await submitModelOperation(db, queue, plain, {
      kind: 'importance',
      method: 'permutation',
    });
    await drain();
    const run = await runRow(runId);
    expect(run.status).toBe('failed');
    expect(run.error_message).toMatch(/without exogenous columns.*nothing to explain/);
    expect(await listFeatureImportance(db, runId)).toEqual([]);
  });

  it('bad input is a ConfigError naming the field, and nothing is queued', async () => {
    const queued = async () =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM nf_model_runs WHERE status = 'queued'`))
          .rows[0]?.n,
      );
    const before = await queued();
    const refused = async (operation: unknown): Promise<string> => {
      const error = await submitModelOperation(
        db,
        queue,
        parent,
        operation as ImportanceOptionsInput & { kind: 'importance' },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    };
    expect(await refused({ kind: 'importance', method: 'lime' })).toMatch(/operation\.method/);
    expect(await refused({ kind: 'importance', method: 'permutation', repeats: 101 })).toMatch(
      /operation\.repeats.*100/,
    );
    expect(await refused({ kind: 'importance', method: 'integrated_gradients', steps: 5000 })).toMatch(
      /operation\.steps/,
    );
    expect(await queued()).toBe(before);
  });
});
