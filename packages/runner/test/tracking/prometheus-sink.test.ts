/**
 * The `prometheus` tracking sink: a run listing it shows its step, losses, trials by state and
 * status as `nflab_tracked_run_*{run_id, model, backend}` while it executes, and the series go when
 * it ends; with a Pushgateway configured (the spec's option, else NFLAB_PUSHGATEWAY_URL) its final
 * numbers are pushed to a real Pushgateway (Debian's prometheus-pushgateway), replacing the group
 * of the same job, model and backend. A Pushgateway that cannot be reached is a log line, not a
 * failed run.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runSpecSchema, type RunSpec } from '@nflab/contracts';
import { createMemoryStorage } from '@nflab/tune';
import { createPrometheusSink, DEFAULT_PUSH_JOB, PUSHGATEWAY_ENV } from '../../src/index.js';
import { pushgatewayInstalled, PUSHGATEWAY, startPushgateway, type TestPushgateway } from './pushgateway.js';

const RUN_A = '00000000-0000-4000-8000-00000000000a';
const RUN_B = '00000000-0000-4000-8000-00000000000b';
const REQUIRED = process.env.CI === 'true';
const MISSING = !pushgatewayInstalled();

const spec = (tracking: unknown[], model = 'auto_mlp'): RunSpec =>
  runSpecSchema.parse({ loto: 'loto6', unique_ids: ['N1'], model, tracking });

/** `name{…labels}` of each sample, with its value, from a registry's text. */
const series = (text: string, prefix: string): Record<string, number> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.startsWith(prefix))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))];
      }),
  );

describe('live series of tracked runs', () => {
  test('a run listing the sink is exposed while it executes, by run, model and backend, and goes when it ends', async () => {
    const sink = createPrometheusSink({ env: {} });
    expect(sink.track(RUN_B, spec(['postgres']))).toBeUndefined();
    const tracking = sink.track(RUN_A, spec(['postgres', 'prometheus']));
    if (tracking === undefined) throw new Error('the prometheus sink did not track its run');

    const storage = tracking.run.observeTrials(createMemoryStorage());
    const study = await storage.createStudy({ name: 'run-a', direction: 'minimize' });
    const first = await storage.createTrial(study.id, { state: 'RUNNING' });
    const second = await storage.createTrial(study.id, { state: 'RUNNING' });
    await storage.createTrial(study.id, { state: 'WAITING' });
    expect(await storage.finishTrial(first.id, { state: 'COMPLETE', value: 0.5 })).toBe(true);
    expect(await storage.finishTrial(second.id, { state: 'PRUNED' })).toBe(true);
    // A trial finished twice is the storage's refusal: the count does not move.
    expect(await storage.finishTrial(second.id, { state: 'FAIL' })).toBe(false);
    // Methods the sink does not watch reach the storage itself.
    expect((await storage.listTrials(study.id)).map((trial) => trial.state)).toEqual([
      'COMPLETE',
      'PRUNED',
      'WAITING',
    ]);
    tracking.run.observeStep({ trial: 0, kind: 'train', step: 3, loss: 2.5 });
    tracking.run.observeStep({ trial: 0, kind: 'valid', step: 4, loss: 1.5 });
    tracking.run.observeStep({ trial: 0, kind: 'train', step: 5, loss: Number.NaN });

    const live = series(await sink.registry.metrics(), 'nflab_tracked_run_');
    const labels = `run_id="${RUN_A}",model="auto_mlp",backend="optuna"`;
    expect(live).toMatchObject({
      [`nflab_tracked_run_step{${labels}}`]: 4,
      [`nflab_tracked_run_train_loss{${labels}}`]: 2.5,
      [`nflab_tracked_run_valid_loss{${labels}}`]: 1.5,
      [`nflab_tracked_run_trials{${labels},state="COMPLETE"}`]: 1,
      [`nflab_tracked_run_trials{${labels},state="PRUNED"}`]: 1,
      [`nflab_tracked_run_trials{${labels},state="WAITING"}`]: 1,
      [`nflab_tracked_run_trials{${labels},state="RUNNING"}`]: 0,
      [`nflab_tracked_run_status{${labels},status="running"}`]: 1,
      [`nflab_tracked_run_status{${labels},status="finished"}`]: 0,
    });
    expect(live[`nflab_tracked_run_start_timestamp_seconds{${labels}}`]).toBeCloseTo(Date.now() / 1000, -1);
    // Not ended: no end time yet.
    expect(Object.keys(live).some((key) => key.startsWith('nflab_tracked_run_end_timestamp'))).toBe(false);
    for (const key of Object.keys(live)) expect(key).toContain(`run_id="${RUN_A}"`);

    // No Pushgateway configured: nothing to log.
    expect(await tracking.end('finished')).toBeUndefined();
    expect(series(await sink.registry.metrics(), 'nflab_tracked_run_')).toEqual({});
  });

  test('an abandoned attempt leaves the live series without a push', async () => {
    const sink = createPrometheusSink({ env: { [PUSHGATEWAY_ENV]: 'http://127.0.0.1:9' } });
    const tracking = sink.track(RUN_A, spec(['prometheus']));
    tracking?.abandon();
    expect(series(await sink.registry.metrics(), 'nflab_tracked_run_')).toEqual({});
  });

  test('a Pushgateway that cannot be reached is reported for the run’s log, never thrown', async () => {
    // Port 9 (discard) on the loopback: nothing listens there, the connection is refused.
    const sink = createPrometheusSink({ env: { [PUSHGATEWAY_ENV]: 'http://user:secret@127.0.0.1:9' } });
    const message = await sink.track(RUN_A, spec(['prometheus']))?.end('failed');
    expect(message).toMatch(/^prometheus: push to the Pushgateway at 127\.0\.0\.1:9 failed: /);
    expect(message).not.toContain('secret');
  });
});

describe.skipIf(MISSING && !REQUIRED)(
  `pushing to a real Pushgateway${MISSING && !REQUIRED ? ` (skipped: ${PUSHGATEWAY} is missing; npm test installs prometheus-pushgateway)` : ''}`,
  () => {
    let gateway: TestPushgateway;
    beforeAll(async () => {
      gateway = await startPushgateway();
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    test('an ended run replaces its job/model/backend group with its final numbers', async () => {
      const sink = createPrometheusSink({ env: { [PUSHGATEWAY_ENV]: gateway.url } });
      const a = sink.track(RUN_A, spec(['prometheus']));
      a?.run.observeStep({ trial: null, kind: 'train', step: 7, loss: 0.25 });
      expect(await a?.end('finished')).toBe(
        `prometheus: final metrics pushed to the Pushgateway at ${new URL(gateway.url).host} (job ${DEFAULT_PUSH_JOB})`,
      );
      const group = { job: DEFAULT_PUSH_JOB, model: 'auto_mlp', backend: 'optuna' };
      const pushed = await gateway.samples();
      const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
        pushed.find(
          (s) =>
            s.name === name &&
            Object.entries({ ...group, ...labels }).every(([key, v]) => s.labels[key] === v),
        )?.value;
      expect(value('nflab_tracked_run_step', { run_id: RUN_A })).toBe(7);
      expect(value('nflab_tracked_run_train_loss', { run_id: RUN_A })).toBe(0.25);
      expect(value('nflab_tracked_run_status', { run_id: RUN_A, status: 'finished' })).toBe(1);
      expect(value('nflab_tracked_run_status', { run_id: RUN_A, status: 'running' })).toBe(0);
      expect(value('nflab_tracked_run_end_timestamp_seconds', { run_id: RUN_A })).toBeGreaterThan(0);
      expect(value('nflab_tracked_run_duration_seconds', { run_id: RUN_A })).toBeGreaterThanOrEqual(0);

      // The next run of the model and backend replaces the group: the Pushgateway keeps one run each.
      const b = sink.track(RUN_B, spec(['prometheus']));
      await b?.end('failed');
      const after = await gateway.samples();
      expect(after.some((s) => s.labels.run_id === RUN_A)).toBe(false);
      expect(
        after.find((s) => s.name === 'nflab_tracked_run_status' && s.labels.status === 'failed')?.labels,
      ).toMatchObject({ ...group, run_id: RUN_B });

      // The spec's own Pushgateway and job win over the environment's (here: one unreachable).
      const elsewhere = createPrometheusSink({ env: { [PUSHGATEWAY_ENV]: 'http://127.0.0.1:9' } });
      const c = elsewhere.track(
        RUN_A,
        spec([{ sink: 'prometheus', push_gateway: gateway.url, job: 'nightly' }], 'nhits'),
      );
      expect(await c?.end('cancelled')).toMatch(/pushed .* \(job nightly\)$/);
      const nightly = (await gateway.samples()).find(
        (s) =>
          s.name === 'nflab_tracked_run_status' &&
          s.labels.job === 'nightly' &&
          s.labels.status === 'cancelled',
      );
      expect(nightly?.labels).toMatchObject({ model: 'nhits', backend: 'optuna', run_id: RUN_A });
      expect(nightly?.value).toBe(1);
    });
  },
);
