/**
 * What `/metrics` reports about the queue and training, read at scrape time in one statement (one
 * round trip, one snapshot). Everything comes from the tables, so the numbers survive restarts and
 * agree whichever of several lab processes is scraped: run counts, histogram bucket counts of
 * ended and started runs (counted in SQL, not in process memory), retries, trials by state, the
 * latest loss and resource sample of each running run, and the test MAE of each monitor's watched
 * model beside the one its latest refit reached on newer draws.
 */
import type { Queryable } from '../db.js';

/** Bucket upper bounds (seconds, ascending) of the two histograms. */
export interface LabMetricsBuckets {
  /** Of a run's duration, from its attempt's start to its end. */
  readonly runDuration: readonly number[];
  /** Of a run's wait in the queue, from its creation to the start of its last attempt. */
  readonly queueWait: readonly number[];
}

/** Runs of one status, model, backend and operation. */
export interface RunCount {
  readonly status: string;
  /** null for runs without one (logged from outside, ensembles). */
  readonly model: string | null;
  readonly backend: string | null;
  readonly operation: string;
  readonly runs: number;
}

/** One histogram series: cumulative counts per bucket (one per bound, then +Inf), and the sum. */
export interface HistogramCounts {
  /** `buckets[i]` counts values ≤ bound i; the last entry counts all (the +Inf bucket). */
  readonly buckets: readonly number[];
  readonly sum: number;
}

/** Ended runs' durations of one operation and final status. */
export interface RunDurationCounts extends HistogramCounts {
  readonly operation: string;
  readonly status: string;
}

/** A running run's latest numbers; null where none was recorded yet. */
export interface RunningRunMetrics {
  readonly runId: string;
  readonly model: string | null;
  /** Train loss of the run's most recently recorded step that has one. */
  readonly trainLoss: number | null;
  /** Validation loss of the run's most recently recorded step that has one. */
  readonly validLoss: number | null;
  /** Latest resource sample: the process's CPU use, percent of the whole machine (0-100). */
  readonly cpuPercent: number | null;
  /** Latest resource sample: resident memory. */
  readonly rssBytes: number | null;
}

/**
 * How the model a monitor watches (its `retrain_run_id`) does on newer draws: the test MAE of the
 * watched run, and that of the latest finished refit the monitor queued — the same configuration
 * fitted again on the table's newest rows and scored on its newest held-out draws. Only monitors
 * whose watched run held out a test part (test_size > 0) have one.
 */
export interface MonitoredModelError {
  readonly monitor: string;
  /** MAE of the watched run on its own test part. */
  readonly referenceMae: number;
  /** MAE of the monitor's latest finished refit on its test part; null before one finished. */
  readonly recentMae: number | null;
}

/** Everything {@link readLabMetrics} reads. */
export interface LabMetricsSnapshot {
  readonly runs: readonly RunCount[];
  readonly runDurations: readonly RunDurationCounts[];
  /** Over every run that has started. */
  readonly queueWait: HistogramCounts;
  /** Attempts beyond each run's first, summed over the runs of each operation. */
  readonly retries: readonly { readonly operation: string; readonly retries: number }[];
  readonly trials: readonly { readonly state: string; readonly trials: number }[];
  readonly running: readonly RunningRunMetrics[];
  readonly monitoredModels: readonly MonitoredModelError[];
}

/**
 * A CTE `name` counting the `seconds` of CTE `source` per `labels` into the buckets whose upper
 * bounds are the parameter `bounds`: one row per label set with the count per bucket (a JSON
 * object from bucket number to count, 1 = the first bound's, n + 1 = +Inf, empty buckets left
 * out) and the sum. Each value finds its bucket by binary search: width_bucket counts the bounds
 * ≤ the value, and a value equal to a bound belongs to that bound's bucket (Prometheus's `le`),
 * any other to the next one.
 */
const histogramCte = (name: string, source: string, bounds: string, labels: readonly string[]): string => {
  const columns = labels.map((label) => `${label}, `).join('');
  const groupBy = labels.length === 0 ? '' : `GROUP BY ${labels.join(', ')}`;
  return `${name} AS (
  SELECT ${columns}json_object_agg(bucket, n) AS counts, sum(total) AS sum FROM (
    SELECT ${columns}w.k + CASE WHEN s.seconds = (${bounds})[w.k] THEN 0 ELSE 1 END AS bucket,
           count(*) AS n, sum(s.seconds) AS total
    FROM ${source} s CROSS JOIN LATERAL (SELECT width_bucket(s.seconds, ${bounds}) AS k) w
    GROUP BY ${columns}bucket
  ) per_bucket
  ${groupBy}
)`;
};

// The latest loss and sample of a running run are its newest rows (LIMIT 1 in a lateral join),
// read backwards through the (run_id, id) and (run_id, at) indexes: a few index entries per run,
// however large the tables (migration 0015 says why the step index exists).
const LAB_METRICS_SQL = `
WITH ended AS (
  SELECT operation, status, duration_seconds AS seconds FROM nf_model_runs
  WHERE status IN ('finished', 'failed', 'cancelled') AND duration_seconds IS NOT NULL
), started AS (
  SELECT GREATEST(date_part('epoch', start_time - created_at), 0) AS seconds
  FROM nf_model_runs WHERE start_time IS NOT NULL
), ${histogramCte('duration', 'ended', '$1::float8[]', ['operation', 'status'])},
${histogramCte('wait', 'started', '$2::float8[]', [])},
running AS (
  SELECT r.id AS "runId", r.model_name AS model, step.train_loss AS "trainLoss", val.valid_loss AS "validLoss",
         sample.cpu_process AS "cpuPercent", sample.rss_bytes AS "rssBytes"
  FROM nf_model_runs r
  LEFT JOIN LATERAL (
    SELECT train_loss FROM nf_step_metrics s
    WHERE s.run_id = r.id AND s.train_loss IS NOT NULL ORDER BY s.id DESC LIMIT 1
  ) step ON true
  LEFT JOIN LATERAL (
    SELECT valid_loss FROM nf_step_metrics s
    WHERE s.run_id = r.id AND s.valid_loss IS NOT NULL ORDER BY s.id DESC LIMIT 1
  ) val ON true
  LEFT JOIN LATERAL (
    SELECT cpu_process, rss_bytes FROM nf_resource_samples rs
    WHERE rs.run_id = r.id ORDER BY rs.at DESC, rs.id DESC LIMIT 1
  ) sample ON true
  WHERE r.status = 'running'
),
-- A monitor's refits are the runs its executions queued (nf_monitor_runs.refit_run_id): a few rows
-- per monitor through nf_monitor_runs_monitor_idx, and at most MONITOR_LIMITS.maxMonitors monitors.
monitored AS (
  SELECT m.name AS monitor, (ref.metrics #>> '{test,overall,mae}')::float8 AS "referenceMae",
         (recent.metrics #>> '{test,overall,mae}')::float8 AS "recentMae"
  FROM nf_monitors m
  JOIN nf_model_runs ref ON ref.id = m.retrain_run_id
  LEFT JOIN LATERAL (
    SELECT r.metrics FROM nf_monitor_runs mr JOIN nf_model_runs r ON r.id = mr.refit_run_id
    WHERE mr.monitor_id = m.id AND r.status = 'finished'
      AND jsonb_typeof(r.metrics #> '{test,overall,mae}') = 'number'
    ORDER BY r.end_time DESC NULLS LAST, mr.id DESC LIMIT 1
  ) recent ON true
  WHERE jsonb_typeof(ref.metrics #> '{test,overall,mae}') = 'number'
)
SELECT
  (SELECT coalesce(json_agg(c), '[]') FROM (
     SELECT status, model_name AS model, backend, operation, count(*) AS runs,
            sum(GREATEST(attempt - 1, 0)) AS retries
     FROM nf_model_runs GROUP BY status, model_name, backend, operation
   ) c) AS runs,
  (SELECT coalesce(json_agg(d), '[]') FROM duration d) AS "runDurations",
  (SELECT coalesce(json_agg(w), '[]') FROM wait w) AS "queueWait",
  (SELECT coalesce(json_agg(t), '[]') FROM (
     SELECT state, count(*) AS trials FROM nf_trials GROUP BY state
   ) t) AS trials,
  (SELECT coalesce(json_agg(r), '[]') FROM running r) AS running,
  (SELECT coalesce(json_agg(m ORDER BY m.monitor), '[]') FROM monitored m) AS "monitoredModels"`;

// JSON carries non-finite doubles as the strings "NaN", "Infinity" and "-Infinity".
const toNumber = (value: unknown): number => Number(value);
const toNullableNumber = (value: unknown): number | null => (value === null ? null : Number(value));

/** Bucket counts as the query returns them: count per bucket number, empty buckets left out. */
interface RawHistogram {
  readonly counts: Record<string, unknown> | null;
  readonly sum: unknown;
}

/** Cumulative counts over `bounds` + +Inf from per-bucket counts (no values: all zero). */
const cumulative = (raw: RawHistogram | undefined, bounds: readonly number[]): HistogramCounts => {
  let total = 0;
  const buckets = [...bounds, Infinity].map((_, i) => (total += toNumber(raw?.counts?.[String(i + 1)] ?? 0)));
  return { buckets, sum: raw?.sum === null || raw === undefined ? 0 : toNumber(raw.sum) };
};

interface RawLabMetrics {
  readonly runs: (Omit<RunCount, 'runs'> & { runs: unknown; retries: unknown })[];
  readonly runDurations: (RawHistogram & { operation: string; status: string })[];
  /** One row (without counts before any run started). */
  readonly queueWait: RawHistogram[];
  readonly trials: { state: string; trials: unknown }[];
  readonly running: Record<keyof RunningRunMetrics, unknown>[];
  readonly monitoredModels: { monitor: string; referenceMae: unknown; recentMae: unknown }[];
}

const retriesByOperation = (runs: RawLabMetrics['runs']): LabMetricsSnapshot['retries'] => {
  const sums = new Map<string, number>();
  for (const row of runs) sums.set(row.operation, (sums.get(row.operation) ?? 0) + toNumber(row.retries));
  return [...sums].map(([operation, retries]) => ({ operation, retries }));
};

/**
 * Reads every queue and training number `/metrics` reports, in one statement over indexed or
 * aggregate scans: cheap enough for a scrape every few seconds of a lab with 10,000 runs.
 */
export const readLabMetrics = async (
  db: Queryable,
  buckets: LabMetricsBuckets,
): Promise<LabMetricsSnapshot> => {
  const { rows } = await db.query<RawLabMetrics>(LAB_METRICS_SQL, [buckets.runDuration, buckets.queueWait], {
    prepare: true,
  });
  const raw = rows[0] as RawLabMetrics;
  return {
    runs: raw.runs.map((row) => ({
      status: row.status,
      model: row.model,
      backend: row.backend,
      operation: row.operation,
      runs: toNumber(row.runs),
    })),
    runDurations: raw.runDurations.map((row) => ({
      operation: row.operation,
      status: row.status,
      ...cumulative(row, buckets.runDuration),
    })),
    queueWait: cumulative(raw.queueWait[0], buckets.queueWait),
    retries: retriesByOperation(raw.runs),
    trials: raw.trials.map((row) => ({ state: row.state, trials: toNumber(row.trials) })),
    running: raw.running.map((row) => ({
      runId: String(row.runId),
      model: row.model === null ? null : String(row.model),
      trainLoss: toNullableNumber(row.trainLoss),
      validLoss: toNullableNumber(row.validLoss),
      cpuPercent: toNullableNumber(row.cpuPercent),
      rssBytes: toNullableNumber(row.rssBytes),
    })),
    monitoredModels: raw.monitoredModels.map((row) => ({
      monitor: row.monitor,
      referenceMae: toNumber(row.referenceMae),
      recentMae: toNullableNumber(row.recentMae),
    })),
  };
};
