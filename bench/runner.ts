/**
 * The runner's costs and throughput, as issue 5 asks:
 * - tracking overhead: a run through the full executor (PostgreSQL records, step metrics, trials,
 *   resource monitor) against the same compute with nothing recorded, as % of the run's wall time;
 * - monitor CPU cost: the monitor's own CPU as % of the run's CPU (from the runs' resource_summary);
 * - queue throughput: empty jobs claimed, finished and recorded per second, one worker slot;
 * - sweep throughput: AutoNHITS h=4, num_samples=4, max_steps=100, val_size=2h on the 7-series
 *   LOTO6 panel, runs/hour at parallel 1 and 2 (NeuralForecast + Optuna: ~25 s/run, ~140 runs/hour).
 * On the embedded PGlite database by default (`--postgres URL` for a server).
 * `npx tsx bench/runner.ts [--runs N] [--max-steps N] [--postgres URL]` prints ONE JSON object.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseRunSpec } from '../packages/contracts/src/index.js';
import {
  createComputePool,
  createRunExecutor,
  fingerprintOf,
  loadRunData,
  RunQueue,
  runWorkerLoop,
  submitSweep,
  type ComputeJob,
} from '../packages/runner/src/index.js';
import { importFile, migrate, openPglite, openPostgres, type Db } from '../packages/store/src/index.js';
import { createMemoryStorage } from '../packages/tune/src/index.js';

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(flag('runs') ?? 4);
const MAX_STEPS = Number(flag('max-steps') ?? 100);
const SAMPLE = new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const SERIES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'B1'];

const log = (message: string): void => void console.error(`[runner bench] ${message}`);

const openBenchDb = async (): Promise<Db> => {
  const url = flag('postgres');
  if (url) return openPostgres({ url });
  return openPglite(await mkdtemp(path.join(tmpdir(), 'nflab-bench-db-')));
};

const runSpec = (seed: number) => ({
  loto: 'loto6',
  unique_ids: SERIES,
  model: 'auto_nhits',
  h: 4,
  num_samples: 4,
  max_steps: MAX_STEPS,
  val_size: '2h',
  random_seed: seed,
  // NeuralForecast validates every 100 steps by default; a shorter smoke run must still validate.
  ...(MAX_STEPS < 100 ? { config: { val_check_steps: MAX_STEPS } } : {}),
});

const db = await openBenchDb();
await migrate(db);
await importFile(db, { file: SAMPLE, game: 'loto6' });
const artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-bench-artifacts-'));

// Sweep throughput (also warms the compute threads up for the overhead measurement).
const sweepAt = async (parallel: number) => {
  const queue = new RunQueue(db);
  const sweep = {
    mode: 'grid',
    ...runSpec(1),
    random_seed: Array.from({ length: RUNS }, (_, i) => 100 * parallel + i),
  };
  const { sweepId } = await submitSweep(db, queue, sweep);
  const execute = createRunExecutor({
    db,
    artifactsRoot: artifacts,
    cpusPerRun: Math.max(1, Math.floor(availableParallelism() / parallel)),
  });
  const started = performance.now();
  await runWorkerLoop({ queue, execute, concurrency: parallel, sweepId, exitWhenIdle: true, pollMs: 50 });
  const seconds = (performance.now() - started) / 1000;
  await execute.close();
  const { rows } = await db.query<{ status: string; duration_seconds: number; cost: string | null }>(
    `SELECT status, duration_seconds, resource_summary->>'monitorCostPercent' AS cost FROM nf_model_runs WHERE sweep_id = $1`,
    [sweepId],
  );
  const failed = rows.filter((r) => r.status !== 'finished').length;
  if (failed > 0) {
    const { rows: errors } = await db.query<{ error_message: string }>(
      "SELECT error_message FROM nf_model_runs WHERE sweep_id = $1 AND status <> 'finished'",
      [sweepId],
    );
    throw new Error(
      `${failed} run(s) of the parallel-${parallel} sweep did not finish: ${errors[0]?.error_message}`,
    );
  }
  const durations = rows.map((r) => r.duration_seconds).sort((a, b) => a - b);
  log(`parallel ${parallel}: ${RUNS} runs in ${seconds.toFixed(1)} s`);
  return {
    parallel,
    runs: RUNS,
    wall_seconds: seconds,
    runs_per_hour: (RUNS / seconds) * 3600,
    median_run_seconds: durations[Math.floor(durations.length / 2)],
    monitor_cost_percent: rows.map((r) => Number(r.cost)),
  };
};
const sweep1 = await sweepAt(1);
const sweep2 = await sweepAt(2);

// Tracking overhead: the same run, with and without the lab recording it.
const spec = parseRunSpec(runSpec(7));
const data = await loadRunData(db, spec);
const pool = createComputePool();
const bare = async (): Promise<number> => {
  const job: ComputeJob = {
    runId: 'bench',
    spec,
    operation: { kind: 'train' },
    data,
    modelDir: await mkdtemp(path.join(tmpdir(), 'nflab-bench-model-')),
    cpus: availableParallelism(),
    nativeMatmul: true,
    studyName: `bare-${Math.random()}`,
  };
  const started = performance.now();
  await pool.compute(job, {
    storage: createMemoryStorage(),
    signal: new AbortController().signal,
    onStep: () => undefined,
    onLog: () => undefined,
  });
  return (performance.now() - started) / 1000;
};
// One executor for every tracked run, warmed up like the bare pool: both compare warm threads.
const trackedExecute = createRunExecutor({ db, artifactsRoot: artifacts });
const tracked = async (): Promise<number> => {
  const queue = new RunQueue(db);
  const [runId] = await queue.enqueue([{ spec, fingerprint: fingerprintOf(spec) }]);
  const started = performance.now();
  await runWorkerLoop({ queue, execute: trackedExecute, exitWhenIdle: true, pollMs: 20 });
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await db.query<{ status: string }>('SELECT status FROM nf_model_runs WHERE id = $1', [
    runId,
  ]);
  if (rows[0]?.status !== 'finished') throw new Error(`tracked run ended ${rows[0]?.status}`);
  return seconds;
};
await bare(); // warm the pool's thread
await tracked(); // and the executor's
const pairs: { bare: number; tracked: number }[] = [];
for (let i = 0; i < 2; i += 1) pairs.push({ bare: await bare(), tracked: await tracked() });
await pool.close();
await trackedExecute.close();
const median = (values: number[]): number =>
  values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const bareSeconds = median(pairs.map((p) => p.bare));
const trackedSeconds = median(pairs.map((p) => p.tracked));
log(`overhead: bare ${bareSeconds.toFixed(1)} s, tracked ${trackedSeconds.toFixed(1)} s`);

// Queue throughput: empty jobs through claim → finish, one slot.
const queueThroughput = async (jobs: number) => {
  const queue = new RunQueue(db);
  const base = parseRunSpec({ loto: 'loto6', unique_ids: ['N1'], model: 'nhits', config: { input_size: 4 } });
  const specs = Array.from({ length: jobs }, (_, i) => ({ ...base, random_seed: 10_000 + i }));
  await queue.enqueue(specs.map((s) => ({ spec: s, fingerprint: fingerprintOf(s) })));
  const started = performance.now();
  await runWorkerLoop({
    queue,
    execute: async (run, ctx) => {
      await db.transaction((tx) =>
        ctx.queue.finish(tx, run.id, { status: 'finished' }).then(() => undefined),
      );
    },
    exitWhenIdle: true,
    pollMs: 10,
  });
  return jobs / ((performance.now() - started) / 1000);
};
const jobsPerSecond = await queueThroughput(300);
log(`queue: ${jobsPerSecond.toFixed(0)} empty jobs/s`);

await db.close();
await rm(artifacts, { recursive: true, force: true });
console.log(
  JSON.stringify({
    database: flag('postgres') ? 'postgres' : 'pglite',
    workload: {
      model: 'auto_nhits',
      h: 4,
      num_samples: 4,
      max_steps: MAX_STEPS,
      val_size: '2h',
      series: SERIES,
    },
    sweep_throughput: [sweep1, sweep2],
    reference_neuralforecast_optuna: { seconds_per_run: 25, runs_per_hour: 140 },
    tracking_overhead: {
      bare_seconds: bareSeconds,
      tracked_seconds: trackedSeconds,
      percent_of_wall: ((trackedSeconds - bareSeconds) / trackedSeconds) * 100,
      pairs,
    },
    queue_empty_jobs_per_second: jobsPerSecond,
  }),
);
