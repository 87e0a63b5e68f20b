/**
 * OpenTelemetry traces end to end (issue 16): with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an
 * in-process OTLP receiver, `POST /api/runs` on a server with a worker slot gives one connected
 * trace — the Fastify request, the queue's enqueue and dequeue, the run's execution, the compute
 * thread's span (its context sent across the thread boundary in the job), trials and `pg`
 * statements — and the run record and its logs name the trace. Without the variable, nothing of
 * the SDK is loaded. The `pg` spans need node-postgres: PostgreSQL only (required when CI=true).
 */
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { importFile } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/index.js';
import { startTracing, stopTracing, tracingEnabled } from '../src/tracing/tracing.js';
import { runCli } from '../../cli/test/run-cli.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';
import { SAME_ORIGIN, signIn } from './sign-in.js';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));
const ENV = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_BSP_SCHEDULE_DELAY'] as const;

test('tracing is off without an OTLP endpoint, and then loads nothing', async () => {
  expect(tracingEnabled({})).toBe(false);
  expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe(false);
  expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
  expect(await startTracing({})).toBeUndefined();
});

const postgres = (await testDbKinds()).includes('postgres');

describe.skipIf(!postgres)('a traced server on PostgreSQL', () => {
  let receiver: OtlpReceiver;
  let db: TestDb;
  let app: FastifyInstance | undefined;
  let artifacts: string;
  let cookie: string;
  const saved = new Map(ENV.map((name) => [name, process.env[name]]));
  const startServer = (workers: number): Promise<FastifyInstance> =>
    buildServer({ db, workers, artifactRoot: artifacts, webRoot: false, monitorIntervalMs: false });
  /** Queues `spec` through the API as the signed-in editor; the new run's id. */
  const postRun = async (server: FastifyInstance, spec: Record<string, unknown>): Promise<string> => {
    const posted = await server.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { cookie, origin: SAME_ORIGIN },
      payload: { spec },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    return (posted.json() as { runId: string }).runId;
  };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    db = await openTestDb('postgres', { migrate: true });
    await importFile(db, { file: SAMPLE, game: 'loto6' });
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-tracing-'));
    app = await startServer(1);
    cookie = (await signIn(db, 'editor')).cookie;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await stopTracing();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await db?.close();
    await receiver?.close();
    if (artifacts !== undefined) await rm(artifacts, { recursive: true, force: true });
  });

  test('POST /api/runs to the run finished is one connected trace', { timeout: 180_000 }, async () => {
    const runId = await postRun(app!, {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'auto_mlp',
      backend: 'optuna',
      num_samples: 2,
      config: { val_check_steps: 3 },
      cpus: 1,
      search_space: {
        input_size: { kind: 'int', low: 4, high: 6 },
        hidden_size: { kind: 'categorical', choices: [8] },
        num_layers: { kind: 'categorical', choices: [1] },
      },
      h: 1,
      max_steps: 3,
      test_size: 2,
    });
    // Probes are not traced (the receiver sees only the POST and the detail GET below).
    expect((await app!.inject('/api/health')).statusCode).toBe(200);
    const statusOf = async (): Promise<string | undefined> =>
      (await db.query<{ status: string }>('SELECT status FROM nf_model_runs WHERE id = $1', [runId])).rows[0]
        ?.status;
    let status = await statusOf();
    for (let i = 0; i < 600 && !['finished', 'failed', 'cancelled'].includes(status ?? ''); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await statusOf();
    }
    expect(status).toBe('finished');

    const { rows } = await db.query<{
      trace_parent: string | null;
      logs: string;
      error_message: string | null;
    }>('SELECT trace_parent, logs, error_message FROM nf_model_runs WHERE id = $1', [runId]);
    const traceParent = rows[0]?.trace_parent ?? '';
    expect(traceParent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceParent.split('-')[1] as string;
    expect(rows[0]?.logs).toContain(`trace ${traceId}`);
    const detail = await app!.inject({ url: `/api/runs/${runId}`, headers: { cookie } });
    expect(detail.json()).toMatchObject({ id: runId, trace_parent: traceParent });

    // The thread flushed before answering; the main thread's batch goes now.
    await (await startTracing())?.flush();
    const ofTrace = (): ReceivedSpan[] => receiver.spans.filter((span) => span.traceId === traceId);
    for (let i = 0; i < 100 && !ofTrace().some((span) => span.name === 'run execute'); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.rejected).toEqual([]);
    const spans = ofTrace();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const one = (name: string): ReceivedSpan => {
      const found = spans.filter((span) => span.name === name);
      expect(
        found.map((span) => span.name),
        `${name} in ${spans.map((s) => s.name).join(', ')}`,
      ).toEqual([name]);
      return found[0] as ReceivedSpan;
    };
    /** The chain of span names from `span` up to the root. */
    const ancestry = (span: ReceivedSpan): string[] => {
      const names: string[] = [];
      for (let at: ReceivedSpan | undefined = span; at !== undefined; at = byId.get(at.parentSpanId))
        names.push(at.name);
      return names;
    };

    const request = one('request');
    expect(request.parentSpanId).toBe('');
    await (await startTracing())?.flush();
    const routes = receiver.spans
      .filter((span) => span.name === 'request')
      .map((span) => span.attributes['http.route']);
    expect(routes.sort()).toEqual(['/api/runs', '/api/runs/:id']);
    expect(request.attributes['http.request.method'] ?? request.attributes['http.method']).toBe('POST');
    const enqueue = one('queue enqueue');
    expect(enqueue.kind).toBe(4);
    expect(enqueue.attributes['nflab.run.id']).toBe(runId);
    expect(ancestry(enqueue).at(-1)).toBe('request');
    // The run stores the enqueue span's context: its dequeue and execution continue it.
    expect(traceParent.split('-')[2]).toBe(enqueue.spanId);
    const dequeue = one('queue dequeue');
    expect(dequeue.kind).toBe(5);
    expect(dequeue.parentSpanId).toBe(enqueue.spanId);
    const execute = one('run execute');
    expect(execute.parentSpanId).toBe(enqueue.spanId);
    expect(execute.attributes).toMatchObject({
      'nflab.run.id': runId,
      'nflab.run.operation': 'train',
      'nflab.run.model': 'auto_mlp',
    });
    // Made on the compute thread by its own SDK, from the traceparent in the job.
    const compute = one('run compute');
    expect(compute.parentSpanId).toBe(execute.spanId);
    expect(compute.scope).toBe('@nflab/runner');
    expect(compute.startNs).toBeGreaterThanOrEqual(execute.startNs);
    expect(compute.endNs).toBeLessThanOrEqual(execute.endNs);

    // Each trial of the search, under the run, its storage writes under it.
    const trials = spans.filter((span) => span.name === 'trial');
    expect(trials.map((span) => span.attributes['nflab.trial.number']).sort()).toEqual([0, 1]);
    for (const trial of trials) {
      expect(trial.parentSpanId).toBe(execute.spanId);
      expect(trial.attributes['nflab.trial.state']).toBe('COMPLETE');
    }

    const statements = spans.filter((span) => span.scope.includes('instrumentation-pg') && span.kind === 3);
    expect(statements.length).toBeGreaterThan(0);
    // The request's inserts and the run's writes, each under its own span.
    const parents = new Set(statements.map((span) => byId.get(span.parentSpanId)?.name));
    expect(parents).toContain('queue enqueue');
    expect(parents).toContain('run execute');
    expect(parents).toContain('trial');
    for (const span of spans) expect(span.service).toBe('nflab');
    // Every span hangs off the request: one connected trace.
    for (const span of spans) expect(ancestry(span).at(-1), span.name).toBe('request');
  });

  test('a run queued through the API and worked by `nflab worker` continues the trace into its compute thread', async () => {
    // This server's own worker slot would take the run: it stops, a queue-only server takes the POST.
    await app?.close();
    app = await startServer(0);
    const runId = await postRun(app, {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'mlp',
      config: { input_size: 4, hidden_size: 8, num_layers: 1 },
      h: 1,
      max_steps: 3,
    });
    const worked = await runCli([
      '--database-url',
      db.url as string,
      '--home',
      artifacts,
      'worker',
      '--exit-when-idle',
    ]);
    expect(worked.exitCode, worked.stderr).toBe(0);
    const { rows } = await db.query<{ status: string; trace_parent: string | null }>(
      'SELECT status, trace_parent FROM nf_model_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0]?.status).toBe('finished');
    const traceId = (rows[0]?.trace_parent ?? '').split('-')[1];
    const named = (name: string) =>
      receiver.spans.filter((span) => span.traceId === traceId && span.name === name);
    for (let i = 0; i < 100 && named('run compute').length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const [execute] = named('run execute');
    expect(execute?.attributes['nflab.run.id']).toBe(runId);
    expect(named('queue enqueue')).toHaveLength(1);
    expect(named('run compute')[0]?.parentSpanId).toBe(execute?.spanId);
  });
});
