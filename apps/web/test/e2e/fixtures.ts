/**
 * Recorded runs for the tests that need history without the runner: rows as a finished search
 * leaves them (run, trials with params and values, step losses, resource samples, forecast with
 * intervals). Written with plain SQL because they stand for what workers write.
 */
import type { Queryable } from '@nflab/store';

/** A recorded run the tests look for. */
export interface RecordedRun {
  readonly id: string;
  readonly model: string;
  readonly backend: 'optuna' | 'ray';
  readonly status: 'finished' | 'failed';
}

const RUNS: readonly Omit<RecordedRun, 'id'>[] = [
  { model: 'auto_nhits', backend: 'optuna', status: 'finished' },
  { model: 'auto_mlp', backend: 'ray', status: 'finished' },
  { model: 'auto_nhits', backend: 'ray', status: 'failed' },
];

const insertRun = async (db: Queryable, run: Omit<RecordedRun, 'id'>, index: number): Promise<string> => {
  const mae = 8 + index;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, backend, horizon, loss, metric, status,
       start_time, end_time, duration_seconds, metrics, best_params, spec, error_message, traceback)
     VALUES ('nf_loto_final', 'loto6', ARRAY['N1'], $1, $2, 2, 'mae', 'mae', $3,
       now() - interval '10 minutes', now() - interval '9 minutes', 60, $4, $5, $6, $7, $8)
     RETURNING id`,
    [
      run.model,
      run.backend,
      run.status,
      JSON.stringify(
        run.status === 'finished'
          ? {
              valid_loss: mae / 10,
              cv: {
                overall: { mae, r2: 0.1 },
                folds: [
                  { fold: 0, cutoffs: ['2020-06-29'], points: 2, metrics: { mae: mae - 1, r2: 0.2 } },
                  { fold: 1, cutoffs: ['2020-07-02'], points: 2, metrics: { mae: mae + 1, r2: 0 } },
                ],
                fold_summary: {
                  mae: { mean: mae, std: Math.SQRT2, min: mae - 1, max: mae + 1, folds: 2 },
                  r2: { mean: 0.1, std: Math.SQRT2 / 10, min: 0, max: 0.2, folds: 2 },
                },
              },
              baselines: { naive: { mae: mae + 1 } },
            }
          : {},
      ),
      JSON.stringify(run.status === 'finished' ? { input_size: 4, learning_rate: 0.001 } : null),
      JSON.stringify({
        table_name: 'nf_loto_final',
        loto: 'loto6',
        unique_ids: ['N1'],
        model: run.model,
        backend: run.backend,
        h: 2,
      }),
      run.status === 'failed' ? 'loss became NaN at step 3' : null,
      run.status === 'failed' ? 'TrainingError: loss became NaN at step 3\n    at fit (engine)' : null,
    ],
  );
  return (rows[0] as { id: string }).id;
};

const insertTelemetry = async (db: Queryable, runId: string): Promise<void> => {
  for (let number = 0; number < 4; number += 1) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO nf_trials (run_id, number, state, value, datetime_start, datetime_complete)
       VALUES ($1, $2, 'COMPLETE', $3, now() - interval '9 minutes', now() - interval '8 minutes') RETURNING id`,
      [runId, number, 1 - number * 0.1],
    );
    const trialId = (rows[0] as { id: string }).id;
    await db.query('INSERT INTO nf_trial_values (trial_id, objective, value) VALUES ($1, 0, $2)', [
      trialId,
      1 - number * 0.1,
    ]);
    await db.query(
      `INSERT INTO nf_trial_params (trial_id, name, value) VALUES ($1, 'input_size', $2), ($1, 'learning_rate', $3)`,
      [trialId, JSON.stringify(2 + number), JSON.stringify(0.001 * (number + 1))],
    );
    for (let step = 0; step < 10; step += 1) {
      await db.query(
        'INSERT INTO nf_step_metrics (run_id, trial_id, step, train_loss, valid_loss) VALUES ($1, $2, $3, $4, $5)',
        [runId, trialId, step, 2 / (step + 1) + number * 0.05, step % 5 === 4 ? 1.5 / (step + 1) : null],
      );
    }
  }
  for (let i = 0; i < 6; i += 1) {
    await db.query(
      `INSERT INTO nf_resource_samples (run_id, at, cpu_process, cpu_system, rss_bytes, mem_used_bytes, disk_read_bytes, disk_write_bytes)
       VALUES ($1, now() - make_interval(secs => $2), $3, $4, $5, $6, $7, $8)`,
      [runId, 60 - i * 10, 40 + i * 5, 60 + i, 200e6 + i * 1e6, 4e9, 1e6 * i, 2e6 * i],
    );
  }
  for (const [suffix, offset] of [
    ['', 0],
    ['-lo-80', -5],
    ['-hi-80', 5],
  ] as const) {
    for (const [step, ds] of ['2020-07-13', '2020-07-16'].entries()) {
      await db.query(
        `INSERT INTO nf_predictions (run_id, kind, unique_id, ds, model, suffix, value) VALUES ($1, 'forecast', 'N1', $2, 'AutoNHITS', $3, $4)`,
        [runId, ds, suffix, 20 + step + offset],
      );
    }
  }
};

/** Inserts the recorded runs (telemetry for the finished ones) and returns them. */
export const insertRecordedRuns = async (db: Queryable): Promise<RecordedRun[]> => {
  const recorded: RecordedRun[] = [];
  for (const [index, run] of RUNS.entries()) {
    const id = await insertRun(db, run, index);
    if (run.status === 'finished') await insertTelemetry(db, id);
    recorded.push({ id, ...run });
  }
  return recorded;
};
