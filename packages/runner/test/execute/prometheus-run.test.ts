/**
 * A small Auto run with the `prometheus` tracking sink, executed by a worker loop on its compute
 * thread: while it trains, the executor's sink exposes it by run id; when it ends, the live series
 * are gone and its final step, losses, trials and status wait in a real Pushgateway, and the run's
 * log says so.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import {
  createPrometheusSink,
  createRunExecutor,
  RunQueue,
  runWorkerLoop,
  submitRun,
} from '../../src/index.js';
import { pushgatewayInstalled, startPushgateway, type TestPushgateway } from '../tracking/pushgateway.js';
import { openLoto6Db } from './loto6-db.js';

// One database is enough: the sink sees the executor, not the database.
const kind = (await testDbKinds())[0] ?? 'pglite';
const RUN = !pushgatewayInstalled() && process.env.CI !== 'true' ? describe.skip : describe;

RUN(`a run tracked in Prometheus on ${kind}`, () => {
  let db: TestDb;
  let artifacts: string;
  let gateway: TestPushgateway;
  beforeAll(async () => {
    db = await openLoto6Db(kind);
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-prometheus-run-'));
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('is exposed while it trains and pushed with its trials when it finishes', async () => {
    const queue = new RunQueue(db);
    const { runId } = await submitRun(db, queue, {
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: 'auto_mlp',
      num_samples: 2,
      max_steps: 4,
      config: { val_check_steps: 2, input_size: 8 },
      val_size: '2h',
      tracking: ['postgres', { sink: 'prometheus', push_gateway: gateway.url }],
    });
    const sink = createPrometheusSink({ env: {} });
    let whileTraining: Promise<string> | undefined;
    const execute = createRunExecutor({
      db,
      artifactsRoot: artifacts,
      cpusPerRun: 1,
      prometheus: sink,
      onStep: () => {
        whileTraining ??= sink.registry.metrics();
      },
    });
    try {
      await runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 50 });
    } finally {
      await execute.close();
    }

    const { rows } = await db.query<{ status: string; logs: string; error_message: string | null }>(
      'SELECT status, logs, error_message FROM nf_model_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0]?.error_message).toBeNull();
    expect(rows[0]?.status).toBe('finished');
    expect(rows[0]?.logs).toContain(
      `prometheus: final metrics pushed to the Pushgateway at ${new URL(gateway.url).host}`,
    );

    const live = (await whileTraining) ?? '';
    expect(live).toContain(
      `nflab_tracked_run_status{run_id="${runId}",model="auto_mlp",backend="optuna",status="running"} 1`,
    );
    expect(await sink.registry.metrics()).not.toContain(runId);

    const pushed = (await gateway.samples()).filter((sample) => sample.labels.run_id === runId);
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      pushed.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;
    expect(value('nflab_tracked_run_status', { status: 'finished' })).toBe(1);
    expect(value('nflab_tracked_run_trials', { state: 'COMPLETE' })).toBe(2);
    expect(value('nflab_tracked_run_trials', { state: 'RUNNING' })).toBe(0);
    expect(value('nflab_tracked_run_step')).toBeGreaterThan(0);
    expect(value('nflab_tracked_run_train_loss')).toBeGreaterThan(0);
    expect(value('nflab_tracked_run_valid_loss')).toBeGreaterThan(0);
    for (const sample of pushed)
      expect(sample.labels).toMatchObject({ job: 'nflab_run', model: 'auto_mlp', backend: 'optuna' });
    // Two trials and a final fit on one compute thread: minutes on a loaded two-core machine.
  }, 300_000);
});
