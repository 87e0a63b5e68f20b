/**
 * The `prometheus` tracking sink. While a run with this sink executes, its step, losses, trials by
 * state, status and times are gauges `nflab_tracked_run_*{run_id, model, backend}` in the
 * process's registry (the lab server's `/metrics` when the server's workers run it). Those series
 * are read from the runs executing now and vanish with them, so their number is bounded by the
 * runs executing at once — a run id labels them, as on the lab's `nflab_running_run_*`, because
 * Grafana's training dashboard selects one run and two runs of one model would otherwise
 * overwrite each other's gauges.
 *
 * A short `nflab run` (or a `nflab worker`) process ends before any Prometheus scrapes it, so when a
 * Pushgateway is configured the run's final numbers are pushed there as it ends, replacing the
 * group `{job, model, backend}`: the Pushgateway keeps the latest run of each model and backend
 * (never one group per run, which it would keep forever).
 */
import { Gauge, Pushgateway, Registry, type LabelValues } from 'prom-client';
import type { RunSpec } from '@nflab/contracts';
import { TrackedRun, type TrackedStatus } from './tracked-run.js';

/** The environment variable naming the Pushgateway (`http://pushgateway:9091`) for every run with the sink. */
export const PUSHGATEWAY_ENV = 'NFLAB_PUSHGATEWAY_URL';

/** The Pushgateway job of pushed runs unless the sink's `job` option names another. */
export const DEFAULT_PUSH_JOB = 'nflab_run';

const TRACKED_STATUSES: readonly TrackedStatus[] = ['running', 'finished', 'failed', 'cancelled'];

type RunLabel = 'run_id' | 'model' | 'backend';

/**
 * Registers the tracked-run gauges in `registry`, each read from `runs()` when collected; `labels`
 * gives each run's labels (all three live, the run id alone when pushed under a model/backend group).
 */
const registerTrackedRunGauges = (
  registry: Registry,
  runs: () => Iterable<TrackedRun>,
  labels: (run: TrackedRun) => Partial<Record<RunLabel, string>>,
  labelNames: readonly RunLabel[],
): void => {
  const gauge = <Extra extends string = never>(
    name: string,
    help: string,
    set: (run: TrackedRun, put: (value: number | null, extra?: Record<Extra, string>) => void) => void,
    extraLabels: readonly Extra[] = [],
  ): void => {
    new Gauge<RunLabel | Extra>({
      name,
      help,
      labelNames: [...labelNames, ...extraLabels],
      registers: [registry],
      collect() {
        this.reset();
        for (const run of runs())
          set(run, (value, extra) => {
            // The run's labels and the extra ones are together exactly the gauge's label names.
            if (value !== null)
              this.set({ ...labels(run), ...extra } as LabelValues<RunLabel | Extra>, value);
          });
      },
    });
  };
  gauge(
    'nflab_tracked_run_step',
    'Latest training step reported by the run (of a trial or of the final fit).',
    (run, put) => put(run.step),
  );
  gauge('nflab_tracked_run_train_loss', 'Train loss of the run’s latest reported step.', (run, put) =>
    put(run.trainLoss),
  );
  gauge('nflab_tracked_run_valid_loss', 'Latest validation loss the run reported.', (run, put) =>
    put(run.validLoss),
  );
  gauge(
    'nflab_tracked_run_trials',
    'Hyperparameter-search trials of the run by state.',
    (run, put) => {
      for (const [state, count] of run.trialsByState()) put(count, { state });
    },
    ['state'] as const,
  );
  gauge(
    'nflab_tracked_run_status',
    '1 for the run’s status (running, finished, failed, cancelled), 0 for the others.',
    (run, put) => {
      for (const status of TRACKED_STATUSES) put(run.status === status ? 1 : 0, { status });
    },
    ['status'] as const,
  );
  gauge(
    'nflab_tracked_run_start_timestamp_seconds',
    'When the run’s attempt started (Unix seconds).',
    (run, put) => put(run.startedAt),
  );
  gauge(
    'nflab_tracked_run_end_timestamp_seconds',
    'When the run ended (Unix seconds); absent while it runs.',
    (run, put) => put(run.endedAt),
  );
  gauge(
    'nflab_tracked_run_duration_seconds',
    'Seconds the run’s attempt has taken so far, or took.',
    (run, put) => put((run.endedAt ?? Date.now() / 1000) - run.startedAt),
  );
};

/** Options of {@link createPrometheusSink}. */
export interface PrometheusSinkOptions {
  /** Where executing runs' gauges are exposed (the lab server's registry). @default a registry of the sink's own */
  readonly registry?: Registry;
  /** Environment to read {@link PUSHGATEWAY_ENV} from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Longest wait for the Pushgateway's answer. @default 10_000 */
  readonly pushTimeoutMs?: number;
}

/** Where and how one run is pushed. */
interface PushTarget {
  readonly url: string;
  readonly job: string;
}

/** One run tracked by the sink. */
export interface RunTracking {
  readonly run: TrackedRun;
  /**
   * Ends the run's live series and, when a Pushgateway is configured, pushes its final numbers;
   * resolves with what to write in the run's log (never rejects: tracking must not fail a run).
   */
  readonly end: (status: Exclude<TrackedStatus, 'running'>) => Promise<string | undefined>;
  /** Ends the run's live series without a push: this attempt stops, the run itself goes on (requeued or another worker's). */
  readonly abandon: () => void;
}

/** The sink of one process: its executing runs, and the Pushgateway setting. */
export interface PrometheusSink {
  readonly registry: Registry;
  /** Starts tracking a run whose spec lists the `prometheus` sink; undefined for other runs. */
  readonly track: (runId: string, spec: RunSpec) => RunTracking | undefined;
}

/** The options of the spec's `prometheus` sink entry, if it lists one (a bare `'prometheus'` has none). */
const sinkOf = (spec: RunSpec): { pushGateway?: string; job?: string } | undefined => {
  const sink = spec.tracking.find((entry) => entry.sink === 'prometheus');
  if (sink === undefined) return undefined;
  return {
    ...('push_gateway' in sink && sink.push_gateway !== undefined ? { pushGateway: sink.push_gateway } : {}),
    ...('job' in sink && sink.job !== undefined ? { job: sink.job } : {}),
  };
};

/** Pushes `run`'s final numbers to its Pushgateway group. */
const push = async (run: TrackedRun, target: PushTarget, timeoutMs: number): Promise<void> => {
  const registry = new Registry();
  registerTrackedRunGauges(
    registry,
    () => [run],
    (r) => ({ run_id: r.runId }),
    ['run_id'],
  );
  const gateway = new Pushgateway(target.url, { timeout: timeoutMs }, registry);
  await gateway.push({ jobName: target.job, groupings: { model: run.model, backend: run.backend } });
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
};

/** Creates a process's `prometheus` sink. */
export const createPrometheusSink = (options: PrometheusSinkOptions = {}): PrometheusSink => {
  const registry = options.registry ?? new Registry();
  const executing = new Set<TrackedRun>();
  registerTrackedRunGauges(
    registry,
    () => executing,
    (run) => ({ run_id: run.runId, model: run.model, backend: run.backend }),
    ['run_id', 'model', 'backend'],
  );
  const envUrl = (options.env ?? process.env)[PUSHGATEWAY_ENV];
  return {
    registry,
    track: (runId, spec) => {
      const sink = sinkOf(spec);
      if (sink === undefined) return undefined;
      const run = new TrackedRun(runId, spec.model, spec.backend);
      executing.add(run);
      const url = sink.pushGateway ?? (envUrl === '' ? undefined : envUrl);
      const target = url === undefined ? undefined : { url, job: sink.job ?? DEFAULT_PUSH_JOB };
      // The log names the host alone: a URL may carry credentials.
      const where = target === undefined ? '' : `the Pushgateway at ${hostOf(target.url)}`;
      return {
        run,
        end: async (status) => {
          run.end(status);
          executing.delete(run);
          if (target === undefined) return undefined;
          try {
            await push(run, target, options.pushTimeoutMs ?? 10_000);
            return `prometheus: final metrics pushed to ${where} (job ${target.job})`;
          } catch (error) {
            return `prometheus: push to ${where} failed: ${(error as Error).message}`;
          }
        },
        abandon: () => void executing.delete(run),
      };
    },
  };
};
