/**
 * Issue 16's tracing overhead: what OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT set) add to
 * a run's wall time (target < 1 %), two ways, on the PostgreSQL server when reachable (its `pg`
 * statements are traced too; PGlite otherwise, without them):
 * - measured: the same small Auto run queued and executed again and again, traced and untraced
 *   in alternation (so a machine whose load drifts hurts both alike), compared pair by pair;
 *   traced runs go to a compute thread that traces, untraced ones to one that never loaded the SDK,
 *   as with a lab with and without OTEL_EXPORTER_OTLP_ENDPOINT;
 * - estimated: spans a traced run makes (counted at the OTLP receiver) × the measured cost of one
 *   span with the SDK on, ÷ the untraced run's wall time — steadier on a busy machine.
 * The OTLP receiver runs in a process of its own (./lib/otlp-receiver-process.ts): decoding what
 * the lab exports is a collector's work, and measured here it would be counted as the lab's.
 * `npx tsx bench/tracing.ts [--pairs N] [--spans N] [--max-steps N]` prints ONE JSON object;
 * the default `--max-steps 30` makes a run of about 3 s on a quiet machine; `--max-steps 300` one
 * with ten times the training.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { startTracing, stopTracing, type LabTracing } from '../apps/server/src/tracing/tracing.js';
import { createRunExecutor, RunQueue, runWorkerLoop, submitRun } from '../packages/runner/src/index.js';
import { importFile, migrate, openPglite, openPostgres, type Db } from '../packages/store/src/index.js';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const PAIRS = flag('pairs', 4);
const SPANS = flag('spans', 20_000);
const LOTO6 = new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const PG_ADMIN_URL = process.env.NFLAB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const THREAD_SDK = new URL('../apps/server/src/tracing/thread-sdk.ts', import.meta.url).href;
const log = (message: string): void => void console.error(`[tracing bench] ${message}`);
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const SPEC = {
  loto: 'loto6',
  unique_ids: ['N1'],
  model: 'auto_mlp',
  backend: 'optuna',
  num_samples: 2,
  cpus: 1,
  max_steps: flag('max-steps', 30),
  config: { val_check_steps: 10, input_size: 8 },
} as const;

const openDb = async (): Promise<{ kind: string; db: Db; drop: () => Promise<void> }> => {
  try {
    const admin = await openPostgres({ url: PG_ADMIN_URL, maxConnections: 1 });
    const name = `nflab_bench_tracing_${process.pid}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    return {
      kind: 'postgres',
      db: await openPostgres({ url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) }),
      drop: async () => {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  } catch (error) {
    log(`no PostgreSQL server (${(error as Error).message}); PGlite, so no pg statement spans`);
    const dir = await mkdtemp(path.join(tmpdir(), 'nflab-bench-tracing-db-'));
    return {
      kind: 'pglite',
      db: await openPglite(dir),
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
};

/** The OTLP receiver's process: its URL, the spans it holds of a trace, and how to stop it. */
const startReceiver = async () => {
  const child = fork(new URL('./lib/otlp-receiver-process.ts', import.meta.url).pathname);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the OTLP receiver process exited (${code})`)));
  });
  type Count = { traceId: string; count: number; rejected: number };
  const spansOf = (traceId: string): Promise<Count> =>
    new Promise((resolve) => {
      const onMessage = (message: Count): void => {
        if (message.traceId !== traceId) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ spansOf: traceId });
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.send('close');
    });
  return { url, spansOf, close };
};

const loadBefore = loadavg();
const receiver = await startReceiver();
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
const { kind, db, drop } = await openDb();
const artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-bench-tracing-'));
const wall: { off: number[]; on: number[] } = { off: [], on: [] };
// CPU time of the whole process (main thread, compute thread, exporter) per run: on a shared
// machine a run's wall time swings with the neighbours' load far more than its CPU time does.
const cpu: { off: number[]; on: number[] } = { off: [], on: [] };
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const spansPerRun: number[] = [];
let perSpanNs = 0;
try {
  await migrate(db);
  await importFile(db, { file: LOTO6, game: 'loto6' });
  const queue = new RunQueue(db);
  // A compute thread per kind, each kept for every run of its kind, as a server keeps its own:
  // the untraced runs' thread never loads the SDK, as in a lab without OTEL_EXPORTER_OTLP_ENDPOINT.
  let tracing: LabTracing | undefined;
  const executors = {
    off: createRunExecutor({ db, artifactsRoot: artifacts, cpusPerRun: 1 }),
    on: createRunExecutor({
      db,
      artifactsRoot: artifacts,
      cpusPerRun: 1,
      // Tracing is started afresh for each traced run (below): its thread's spans go to the current SDK.
      threadTracing: {
        module: THREAD_SDK,
        exportSpans: (spans) => tracing?.threadTracing.exportSpans(spans),
      },
    }),
  };
  const once = async (traced: boolean): Promise<{ wallMs: number; cpuMs: number }> => {
    if (traced) tracing = await startTracing();
    // A traced run is queued inside a span, as a request's would be.
    const submit = () => submitRun(db, queue, SPEC);
    const { runId } = traced
      ? await trace.getTracer('bench').startActiveSpan('bench request', async (span) => {
          try {
            return await submit();
          } finally {
            span.end();
          }
        })
      : await submit();
    const execute = executors[traced ? 'on' : 'off'];
    const started = performance.now();
    const cpuStarted = cpuMs();
    await runWorkerLoop({ queue, execute, exitWhenIdle: true, pollMs: 20 });
    const ms = performance.now() - started;
    const cpuUsed = cpuMs() - cpuStarted;
    if (traced) {
      const { rows } = await db.query<{ trace_parent: string }>(
        'SELECT trace_parent FROM nf_model_runs WHERE id = $1',
        [runId],
      );
      await tracing?.flush();
      await stopTracing();
      tracing = undefined;
      const received = await receiver.spansOf(rows[0]?.trace_parent.split('-')[1] ?? '');
      if (received.rejected > 0) throw new Error(`the OTLP receiver rejected ${received.rejected} exports`);
      spansPerRun.push(received.count);
    }
    return { wallMs: ms, cpuMs: cpuUsed };
  };
  log(`${kind}: warm-up runs (thread start, engine and SDK load)`);
  await once(false);
  await once(true);
  spansPerRun.length = 0;
  for (let pair = 0; pair < PAIRS; pair += 1) {
    // Alternate which goes first, so neither always follows the other.
    for (const traced of pair % 2 === 0 ? [false, true] : [true, false]) {
      const { wallMs, cpuMs: used } = await once(traced);
      wall[traced ? 'on' : 'off'].push(round(wallMs, 0));
      cpu[traced ? 'on' : 'off'].push(round(used, 0));
      log(
        `pair ${pair + 1}/${PAIRS} ${traced ? 'traced' : 'untraced'}: ${round(wallMs, 0)} ms wall, ${round(used, 0)} ms CPU`,
      );
    }
  }
  await Promise.all([executors.off.close(), executors.on.close()]);

  // One span's cost with the SDK on (started, attributed, ended, queued for export).
  await startTracing();
  const tracer = trace.getTracer('bench');
  perSpanNs = await tracer.startActiveSpan('bench root', async (root) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < SPANS; i += 1) tracer.startSpan('bench span', { attributes: { 'nflab.i': i } }).end();
    const ns = Number(process.hrtime.bigint() - t0) / SPANS;
    root.end();
    return ns;
  });
  await stopTracing();
} finally {
  await db.close();
  await drop();
  await receiver.close();
  await rm(artifacts, { recursive: true, force: true });
}

const off = median(wall.off);
const on = median(wall.on);
const cpuOff = median(cpu.off);
const cpuOn = median(cpu.on);
const spans = median(spansPerRun);
/** Traced minus untraced, pair by pair: a load that drifts over the bench moves both runs of a pair. */
const pairDifferences = (times: { off: number[]; on: number[] }): number[] =>
  times.on.map((traced, i) => traced - (times.off[i] as number));
const wallDifference = median(pairDifferences(wall));
const cpuDifference = median(pairDifferences(cpu));
console.log(
  JSON.stringify({
    database: kind,
    run: SPEC,
    pairs: PAIRS,
    load_average: { before: loadBefore.map((v) => round(v, 2)), after: loadavg().map((v) => round(v, 2)) },
    wall_ms: wall,
    median_wall_ms: { untraced: off, traced: on },
    overhead_measured_percent: round((100 * (on - off)) / off, 2),
    median_pair_difference_wall_ms: wallDifference,
    overhead_paired_percent: round((100 * wallDifference) / off, 2),
    cpu_ms: cpu,
    median_cpu_ms: { untraced: cpuOff, traced: cpuOn },
    overhead_cpu_percent: round((100 * (cpuOn - cpuOff)) / cpuOff, 2),
    median_pair_difference_cpu_ms: cpuDifference,
    overhead_cpu_paired_percent: round((100 * cpuDifference) / cpuOff, 2),
    spans_per_traced_run: spans,
    per_span_ns: round(perSpanNs, 0),
    overhead_estimated_percent: round((100 * spans * perSpanNs) / 1e6 / off, 4),
    notes: [
      'run wall times vary from run to run by about as much as the tracing cost (see load_average), so the measured differences are noise-bound: overhead_paired_percent (the median of the pairs’ differences) is the steadier of the two wall figures; the estimate (spans × cost per span ÷ wall time) leaves out what is not a span (context propagation, the pg instrumentation’s wrapping, the batch export)',
      'the lab’s spans leave by one BatchSpanProcessor on the main thread, exporting OTLP/protobuf to a receiver in another process; the compute thread posts its spans to the main thread with its answer instead of exporting them, so no export or flush is on the run’s path (the end-of-run flush here only collects the spans to count them, outside the measured time)',
      'per_span_ns is measured in the main thread with the SDK on; pg statement spans cost more (SQL attributes), so the estimate is a lower bound for them',
      'traced and untraced runs each have a compute thread of their own (the untraced one never loads the SDK); in the main thread the SDK stays loaded between runs (tracing is stopped, not unloaded)',
    ],
  }),
);
