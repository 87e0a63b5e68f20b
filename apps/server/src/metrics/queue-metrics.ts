/**
 * The queue and training metrics, set on each scrape from one database read (`readLabMetrics`):
 * the database is the system of record, so every lab process sharing it reports the same numbers
 * and a restart loses nothing. Only the gauges of running runs carry a run id — they exist while
 * the run does — the long-lived series are labelled by bounded vocabularies (status, model id,
 * backend, operation, trial state, and monitor names: admin-made, at most MONITOR_LIMITS.maxMonitors).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LabMetricsBuckets, LabMetricsSnapshot, RunningRunMetrics } from '@nflab/store';
import { CountedHistogram } from './counted-histogram.js';

/** Bucket bounds in seconds: a run takes from seconds (a predict) to hours (a large search). */
export const QUEUE_METRICS_BUCKETS = {
  runDuration: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400],
  queueWait: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400],
} as const satisfies LabMetricsBuckets;

/** The queue and training metrics of one registry. */
export interface QueueMetrics {
  /** Sets every metric from `snapshot`; series it no longer has disappear. */
  update(snapshot: LabMetricsSnapshot): void;
  /** Drops every series (the database could not be read: no stale numbers). */
  clear(): void;
}

type RunningGauge = Gauge<'run_id' | 'model'>;

const setRunning = (
  gauge: RunningGauge,
  running: readonly RunningRunMetrics[],
  value: (run: RunningRunMetrics) => number | null,
): void => {
  gauge.reset();
  for (const run of running) {
    const measured = value(run);
    if (measured !== null) gauge.set({ run_id: run.runId, model: run.model ?? '' }, measured);
  }
};

/** Registers the queue and training metrics in `registry`. */
export const createQueueMetrics = (registry: Registry): QueueMetrics => {
  const registers = [registry];
  const runs = new Gauge({
    name: 'nflab_runs',
    help: 'Runs in the database by status, model, backend and operation.',
    labelNames: ['status', 'model', 'backend', 'operation'] as const,
    registers,
  });
  const runDuration = new CountedHistogram({
    name: 'nflab_run_duration_seconds',
    help: 'Duration of ended runs (finished, failed, cancelled) from their last attempt’s start, by operation and status.',
    labelNames: ['operation', 'status'] as const,
    buckets: [...QUEUE_METRICS_BUCKETS.runDuration],
    registers,
  });
  const queueWait = new CountedHistogram({
    name: 'nflab_queue_wait_seconds',
    help: 'Time started runs waited from being queued to the start of their last attempt.',
    buckets: [...QUEUE_METRICS_BUCKETS.queueWait],
    registers,
  });
  const retries = new Counter({
    name: 'nflab_run_retries_total',
    help: 'Attempts beyond the first, summed over the runs in the database of each operation.',
    labelNames: ['operation'] as const,
    registers,
  });
  const trials = new Gauge({
    name: 'nflab_trials',
    help: 'Hyperparameter-search trials in the database by state.',
    labelNames: ['state'] as const,
    registers,
  });
  const running = (name: string, help: string): RunningGauge =>
    new Gauge({ name, help, labelNames: ['run_id', 'model'] as const, registers });
  const trainLoss = running(
    'nflab_running_run_last_train_loss',
    'Train loss of the latest recorded step of each running run.',
  );
  const validLoss = running(
    'nflab_running_run_last_valid_loss',
    'Validation loss of the latest recorded step that has one, of each running run.',
  );
  const cpu = running(
    'nflab_running_run_cpu_ratio',
    'CPU use of each running run’s process as a fraction of the whole machine (latest resource sample).',
  );
  const rss = running(
    'nflab_running_run_rss_bytes',
    'Resident memory of each running run’s process (latest resource sample).',
  );

  // The two MAEs behind the "model performance decayed" alert (deploy/prometheus/rules/lab-alerts.yml).
  const monitorGauge = (name: string, help: string): Gauge<'monitor'> =>
    new Gauge({ name, help, labelNames: ['monitor'] as const, registers });
  const referenceMae = monitorGauge(
    'nflab_monitor_model_reference_mae',
    'Test MAE of the run a monitor watches (the run its drift refits), by monitor, in the units of the table’s y.',
  );
  const recentMae = monitorGauge(
    'nflab_monitor_model_recent_mae',
    'Test MAE of the latest finished refit a monitor queued (the watched configuration fitted and scored on the newest draws), by monitor.',
  );

  return {
    update(snapshot) {
      runs.reset();
      for (const row of snapshot.runs) {
        const labels = {
          status: row.status,
          model: row.model ?? '',
          backend: row.backend ?? '',
          operation: row.operation,
        };
        runs.set(labels, row.runs);
      }
      runDuration.setCounts(
        snapshot.runDurations.map((row) => ({
          labels: { operation: row.operation, status: row.status },
          counts: row,
        })),
      );
      queueWait.setCounts([{ labels: {}, counts: snapshot.queueWait }]);
      retries.reset();
      for (const row of snapshot.retries) retries.inc({ operation: row.operation }, row.retries);
      trials.reset();
      for (const row of snapshot.trials) trials.set({ state: row.state }, row.trials);
      setRunning(trainLoss, snapshot.running, (run) => run.trainLoss);
      setRunning(validLoss, snapshot.running, (run) => run.validLoss);
      setRunning(cpu, snapshot.running, (run) => (run.cpuPercent === null ? null : run.cpuPercent / 100));
      setRunning(rss, snapshot.running, (run) => run.rssBytes);
      referenceMae.reset();
      recentMae.reset();
      for (const row of snapshot.monitoredModels) {
        referenceMae.set({ monitor: row.monitor }, row.referenceMae);
        if (row.recentMae !== null) recentMae.set({ monitor: row.monitor }, row.recentMae);
      }
    },
    clear() {
      for (const metric of [
        runs,
        runDuration,
        queueWait,
        retries,
        trials,
        trainLoss,
        validLoss,
        cpu,
        rss,
        referenceMae,
        recentMae,
      ])
        metric.reset();
    },
  };
};
