/**
 * Issue 13's acceptance sweep: every registered model's Auto variant, once each, on the real LOTO6
 * panel with tiny max_steps, two runs at once — each run finishes with its trial, metrics with
 * baselines, predictions, cross-validation rows and saved model. The model list is the engine's
 * registry, so a model added later is in the sweep without touching this test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '@nflab/engine';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import { createRunExecutor, LLM_MODEL_IDS, RunQueue, runWorkerLoop, submitSweep } from '../../src/index.js';
import { openLoto6Db } from './loto6-db.js';

// One database kind is enough here: the grid-sweep test covers both kinds' bookkeeping; this one
// is about every model running end to end.
const [kind] = await testDbKinds();
// Multivariate models are left out to keep this sweep's CI time: their all-series runs (n_series from
// unique_ids) are covered end to end by single-run.test.ts's TSMixer run. Models that read a local
// language model (TimeLLM) need a checkpoint under NFLAB_LLM_DIR and their own config (plan-llm.test.ts).
const AUTO_IDS = Object.entries(MODELS)
  .filter(([id, spec]) => spec.kind === 'univariate' && !LLM_MODEL_IDS.has(id))
  .map(([id]) => `auto_${id}`);

const SWEEP = {
  mode: 'grid',
  loto: 'loto6',
  unique_ids: ['N1', 'N2'],
  model: AUTO_IDS,
  h: [2],
  loss: ['mae'],
  num_samples: 1,
  max_steps: 2,
  // Fixed over every model's default space: short windows and small batches keep the sweep quick.
  config: { val_check_steps: 1, input_size: 8, windows_batch_size: 16, inference_windows_batch_size: 64 },
  val_size: '2h',
  cross_validation: { n_windows: 1, step_size: 1 },
};

describe.skipIf(kind === undefined)('a sweep over every Auto model', () => {
  let db: TestDb;
  let artifacts: string;

  beforeAll(async () => {
    db = await openLoto6Db(kind!);
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-zoo-'));
  });
  afterAll(async () => {
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it(
    `runs auto_<id> for all ${AUTO_IDS.length} registered models to the end`,
    { timeout: 900_000 },
    async () => {
      const queue = new RunQueue(db);
      const { sweepId, runIds } = await submitSweep(db, queue, SWEEP, { name: 'auto zoo' });
      expect(runIds).toHaveLength(AUTO_IDS.length);
      const execute = createRunExecutor({
        db,
        artifactsRoot: artifacts,
        monitorIntervalMs: 500,
        cpusPerRun: 1,
      });
      await runWorkerLoop({
        queue,
        execute,
        concurrency: 2,
        sweepId,
        exitWhenIdle: true,
        pollMs: 50,
      }).finally(() => execute.close());

      const { rows: runs } = await db.query<{
        id: string;
        model_name: string;
        status: string;
        error_message: string | null;
        metrics: { cv: { overall: Record<string, number | null>; baselines: object } } | null;
      }>('SELECT id, model_name, status, error_message, metrics FROM nf_model_runs WHERE sweep_id = $1', [
        sweepId,
      ]);
      // Name the models that failed, with their errors, rather than a bare count.
      const failed = runs.filter((run) => run.status !== 'finished');
      expect(failed.map((run) => `${run.model_name}: ${run.status} ${run.error_message ?? ''}`)).toEqual([]);
      expect(runs).toHaveLength(AUTO_IDS.length);
      for (const run of runs) {
        expect(run.metrics?.cv.overall.mae).toBeTypeOf('number');
        expect(run.metrics?.cv.baselines).toHaveProperty('naive');
      }
      const ids = runs.map((run) => run.id);
      const count = async (table: string): Promise<number> =>
        Number(
          (
            await db.query<{ n: string }>(
              `SELECT count(DISTINCT run_id) AS n FROM ${table} WHERE run_id = ANY($1::uuid[])`,
              [ids],
            )
          ).rows[0]?.n,
        );
      for (const table of ['nf_trials', 'nf_predictions', 'nf_cv_results', 'nf_artifacts'])
        expect(await count(table), table).toBe(AUTO_IDS.length);
    },
  );
});
