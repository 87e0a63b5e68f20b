/**
 * Issue 16's observability figures, on PGlite and (when reachable) the PostgreSQL server:
 * - `/metrics` scrape latency (server time through the routes, p50/p95/max) and size (bytes,
 *   sample lines) with 10,000 finished runs and 8 running ones (each with trials, step losses and
 *   resource samples) in the database;
 * - the overhead of metrics on a run's wall time (target < 1 %): what the server's statement timing
 *   (`observeQueries`, per statement) and the `prometheus` tracking sink (per step event and per
 *   trial change) cost, measured per call, times how many of each a real run makes (counted by
 *   executing one small Auto run with the sink on), over that run's wall time.
 * Tracing's overhead is bench/tracing.ts's.
 * `npx tsx bench/observability.ts [--finished N] [--running N] [--scrapes N] [--no-run]` prints ONE JSON object.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer } from '../apps/server/src/index.js';
import {
  createPrometheusSink,
  createRunExecutor,
  RunQueue,
  runWorkerLoop,
  submitRun,
} from '../packages/runner/src/index.js';
import { createMemoryStorage } from '../packages/tune/src/index.js';
import {
  importFile,
  migrate,
  observeQueries,
  openPglite,
  openPostgres,
  type Db,
  type QuerySample,
} from '../packages/store/src/index.js';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const FINISHED = flag('finished', 10_000);
const RUNNING = flag('running', 8);
const SCRAPES = flag('scrapes', 30);
const WITH_RUN = !process.argv.includes('--no-run');
const TOKEN = 'observability-bench-scrape-token';
const LOTO6 = new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const PG_ADMIN_URL = process.env.NFLAB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (message: string): void => void console.error(`[observability bench] ${message}`);
const quantile = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] as number;
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** Finished runs spread over models, backends and durations; running ones with trials, steps and samples. */
const seed = async (db: Db): Promise<void> => {
  await db.query(
    `INSERT INTO nf_model_runs (model_name, backend, operation, loto, unique_ids, status, attempt, created_at,
                                start_time, end_time, duration_seconds)
     SELECT (ARRAY['auto_nhits','auto_mlp','auto_tft','auto_lstm','nhits','mlp'])[1 + i % 6],
            (ARRAY['optuna','ray'])[1 + i % 2], 'train', 'loto6', '{N1}',
            (ARRAY['finished','finished','finished','failed'])[1 + i % 4], 1 + i % 3,
            now() - make_interval(secs => i * 60 + 30), now() - make_interval(secs => i * 60),
            now() - make_interval(secs => i * 60) + make_interval(secs => 5 + i % 3000), 5 + i % 3000
     FROM generate_series(1, $1::int) AS i`,
    [FINISHED],
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (model_name, backend, operation, loto, unique_ids, status, attempt, created_at,
                                start_time)
     SELECT 'auto_nhits', 'optuna', 'train', 'loto6', '{N1}', 'running', 1, now() - interval '2 minutes',
            now() - interval '1 minute'
     FROM generate_series(1, $1::int) RETURNING id`,
    [RUNNING],
  );
  for (const { id } of rows) {
    await db.query(
      `INSERT INTO nf_trials (run_id, number, state)
       SELECT $1, n, (ARRAY['COMPLETE','PRUNED','RUNNING'])[1 + n % 3] FROM generate_series(0, 9) AS n`,
      [id],
    );
    await db.query(
      `INSERT INTO nf_step_metrics (run_id, step, train_loss, valid_loss)
       SELECT $1, s, 1.0 / s, CASE WHEN s % 10 = 0 THEN 2.0 / s END FROM generate_series(1, 1000) AS s`,
      [id],
    );
    await db.query(
      `INSERT INTO nf_resource_samples (run_id, at, cpu_process, rss_bytes)
       SELECT $1, now() - make_interval(secs => s), 50, 1e8 FROM generate_series(1, 60) AS s`,
      [id],
    );
  }
};

/** Latency and size of `/metrics` as Prometheus would scrape it. */
const scrapeFigures = async (db: Db) => {
  const app = await buildServer({ db, webRoot: false, metricsToken: TOKEN, monitorIntervalMs: false });
  try {
    const scrape = () => app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    for (let i = 0; i < 3; i += 1) await scrape();
    const ms: number[] = [];
    let body = '';
    for (let i = 0; i < SCRAPES; i += 1) {
      const started = performance.now();
      const response = await scrape();
      ms.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`scrape answered ${response.statusCode}`);
      body = response.body;
    }
    const samples = body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    return {
      scrapes: SCRAPES,
      latency_ms: {
        p50: round(quantile(ms, 0.5), 1),
        p95: round(quantile(ms, 0.95), 1),
        max: round(Math.max(...ms), 1),
      },
      bytes: Buffer.byteLength(body),
      sample_lines: samples,
    };
  } finally {
    await app.close();
  }
};

/** Mean nanoseconds of `call` over `n` calls, after a warm-up. */
const nanosPerCall = async (n: number, call: () => unknown): Promise<number> => {
  for (let i = 0; i < 1000; i += 1) await call();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await call();
  return Number(process.hrtime.bigint() - started) / n;
};

/**
 * Nanoseconds `timed` adds to `bare` per call: blocks of each alternate and the fastest block of
 * each counts, so load from other processes (this machine is shared) falls on both alike.
 */
const addedNanos = async (n: number, bare: () => unknown, timed: () => unknown): Promise<number> => {
  let fastestBare = Infinity;
  let fastestTimed = Infinity;
  for (let round = 0; round < 7; round += 1) {
    fastestBare = Math.min(fastestBare, await nanosPerCall(n, bare));
    fastestTimed = Math.min(fastestTimed, await nanosPerCall(n, timed));
  }
  return Math.max(0, fastestTimed - fastestBare);
};

/** Cost per call of the statement timing and of the sink's step and trial hooks. */
const perCallCosts = async () => {
  const answer = Promise.resolve({ rows: [], rowCount: 0 });
  const instant = { kind: 'pglite', query: () => answer, exec: async () => undefined } as unknown as Db;
  const timed = observeQueries(instant, () => undefined);
  const sql = 'UPDATE nf_model_runs SET heartbeat_at = now() WHERE id = $1 AND status = $2';
  const withClause =
    'WITH next AS (SELECT id FROM nf_model_runs WHERE status = $1 LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE nf_model_runs SET status = $2 FROM next WHERE nf_model_runs.id = next.id';
  const statement = await addedNanos(
    50_000,
    () => instant.query(sql),
    () => timed.query(sql),
  );
  const withStatement = await addedNanos(
    50_000,
    () => instant.query(withClause),
    () => timed.query(withClause),
  );
  const sink = createPrometheusSink({ env: {} });
  const spec = { tracking: [{ sink: 'prometheus' }], model: 'auto_nhits', backend: 'optuna' };
  const tracked = sink.track('00000000-0000-4000-8000-000000000001', spec as never);
  if (tracked === undefined) throw new Error('the sink did not track its run');
  let step = 0;
  const stepEvent = await nanosPerCall(1_000_000, () =>
    tracked.run.observeStep({ trial: 0, kind: 'train', step: (step += 1), loss: 1 / step }),
  );
  // Rendering the live series of one run, as a scrape of the server would (before the trial timing fills it with thousands of trials).
  const collect = await nanosPerCall(2_000, () => sink.registry.metrics());
  const storage = tracked.run.observeTrials(createMemoryStorage());
  const study = await storage.createStudy({ name: 'bench', direction: 'minimize' });
  const plain = createMemoryStorage();
  const plainStudy = await plain.createStudy({ name: 'bench', direction: 'minimize' });
  const trialChange = await addedNanos(
    3_000,
    () => plain.createTrial(plainStudy.id, { state: 'RUNNING' }),
    () => storage.createTrial(study.id, { state: 'RUNNING' }),
  );
  return {
    statement_ns: round(statement, 0),
    with_statement_ns: round(withStatement, 0),
    step_event_ns: round(stepEvent, 0),
    trial_change_ns: round(trialChange, 0),
    tracked_run_collect_ns: round(collect, 0),
  };
};

/** One small Auto run with the sink on: its wall time, statements and step events. */
const countedRun = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nflab-bench-observability-'));
  const raw = await openPglite(path.join(dir, 'db'));
  const statements: QuerySample[] = [];
  const db = observeQueries(raw, (sample) => statements.push(sample));
  try {
    await migrate(raw);
    await importFile(raw, { file: LOTO6, game: 'loto6' });
    const queue = new RunQueue(db);
    const { runId } = await submitRun(db, queue, {
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: 'auto_mlp',
      num_samples: 2,
      max_steps: 50,
      config: { val_check_steps: 10, input_size: 8 },
      val_size: '2h',
      tracking: ['postgres', 'prometheus'],
    });
    let steps = 0;
    const execute = createRunExecutor({
      db,
      artifactsRoot: path.join(dir, 'artifacts'),
      cpusPerRun: 1,
      onStep: () => {
        steps += 1;
      },
    });
    statements.length = 0;
    const started = performance.now();
    try {
      await runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 50 });
    } finally {
      await execute.close();
    }
    const wallMs = performance.now() - started;
    const { rows } = await raw.query<{ status: string; trials: number }>(
      `SELECT status, (SELECT count(*)::int FROM nf_trials WHERE run_id = $1) AS trials FROM nf_model_runs WHERE id = $1`,
      [runId],
    );
    return {
      wall_ms: round(wallMs, 0),
      status: rows[0]?.status,
      statements: statements.length,
      step_events: steps,
      trials: rows[0]?.trials ?? 0,
    };
  } finally {
    await raw.close();
    await rm(dir, { recursive: true, force: true });
  }
};

const databases = async (): Promise<{ kind: string; db: Db; drop?: () => Promise<void> }[]> => {
  const out: { kind: string; db: Db; drop?: () => Promise<void> }[] = [
    { kind: 'pglite', db: await openPglite(await mkdtemp(path.join(tmpdir(), 'nflab-bench-metrics-'))) },
  ];
  try {
    const admin = await openPostgres({ url: PG_ADMIN_URL, maxConnections: 1 });
    const name = `nflab_bench_observability_${process.pid}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    out.push({
      kind: 'postgres',
      db: await openPostgres({ url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) }),
      drop: async () => {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      },
    });
  } catch (error) {
    log(`no PostgreSQL server (${(error as Error).message}); PGlite only`);
  }
  return out;
};

const scrape: Record<string, unknown> = {};
for (const { kind, db, drop } of await databases()) {
  try {
    await migrate(db);
    log(`${kind}: seeding ${FINISHED} finished and ${RUNNING} running runs`);
    await seed(db);
    scrape[kind] = await scrapeFigures(db);
    log(`${kind}: ${JSON.stringify(scrape[kind])}`);
  } finally {
    await db.close();
    await drop?.();
  }
}
const costs = await perCallCosts();
log(`per call: ${JSON.stringify(costs)}`);
const run = WITH_RUN ? await countedRun() : undefined;
const overhead =
  run === undefined
    ? undefined
    : {
        statement_timing_percent: round(
          (100 * run.statements * costs.with_statement_ns) / 1e6 / run.wall_ms,
          4,
        ),
        prometheus_sink_percent: round(
          (100 * (run.step_events * costs.step_event_ns + 3 * run.trials * costs.trial_change_ns)) /
            1e6 /
            run.wall_ms,
          4,
        ),
      };
console.log(
  JSON.stringify({
    finished_runs: FINISHED,
    running_runs: RUNNING,
    scrape,
    per_call: costs,
    run,
    overhead,
    notes: [
      'scrape latency is server time through Fastify inject (route, token check, one database read, rendering), no network',
      'overhead = calls a real run made × measured cost per call ÷ that run’s wall time; statements timed at the cost of a WITH statement (the dearest kind to classify); each trial changes state about 3 times',
      'tracing overhead: see bench/tracing.ts (bench/results/tracing.json)',
    ],
  }),
);
