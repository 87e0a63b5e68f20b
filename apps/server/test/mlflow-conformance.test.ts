/**
 * MLflow conformance: replays a recording of the real MLflow Python client (3.11) talking to a real
 * MLflow tracking server (fixtures/mlflow/mlflow-client-session.jsonl, with its README) against
 * the lab, request by request in order, on PGlite and on the PostgreSQL server: all 85 exchanges —
 * experiments, runs, logging, search, artifacts, MLflow 3's logged models and run outputs, and the
 * model registry (registered models, versions, tags, aliases, stage transitions, searches).
 * Recorded experiment, run and logged-model ids are rewritten to the ids the lab returned earlier
 * in the session; each answer must have the recorded status and the recorded body once ids are
 * mapped — same fields, types, nesting, list lengths and values — except the server clock's
 * creation/update times, compared by type only.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { mlflowCaller, type MlflowCall, type MlflowRequest } from './mlflow-client.js';

const FIXTURE = new URL('fixtures/mlflow/mlflow-client-session.jsonl', import.meta.url).pathname;

interface Exchange {
  readonly seq: number;
  readonly step: string;
  readonly method: MlflowRequest['method'];
  readonly path: string;
  readonly query_string?: string;
  readonly request_headers: Record<string, string>;
  readonly request_json?: unknown;
  readonly request_body_base64?: string;
  readonly status: number;
  readonly response_headers: Record<string, string>;
  readonly response_json?: unknown;
  readonly response_body_base64?: string;
}

/** Fields the server fills from its own clock. */
const CLOCK_FIELDS = new Set([
  'creation_time',
  'last_update_time',
  'creation_timestamp',
  'last_updated_timestamp',
  'creation_timestamp_ms',
  'last_updated_timestamp_ms',
]);

const EXCHANGES: Exchange[] = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Exchange);

/** Recorded ids to the lab's, learned from the answers to experiments/create, runs/create and logged-models. */
class IdMap {
  readonly experiments = new Map<string, string>();
  /** Run ids, and logged-model ids (`m-` and 32 hex digits) by their hex digits. */
  readonly runs = new Map<string, string>();

  /** `text` with every recorded run or logged-model id (32 hex digits) replaced by the lab's. */
  runIds(text: string): string {
    return text.replace(/[0-9a-f]{32}/g, (id) => this.runs.get(id) ?? id);
  }

  /** An artifact path `<experiment>/<run>/…` (or a mlflow-artifacts URI) with both ids mapped. */
  artifactPath(path: string): string {
    const mapped = this.runIds(path);
    return mapped.replace(
      /^(mlflow-artifacts:\/)?(\d+)(?=\/|$)/,
      (_all, scheme: string | undefined, id: string) => `${scheme ?? ''}${this.experiments.get(id) ?? id}`,
    );
  }

  /** A recorded message (request or answer) in the lab's ids. */
  message(value: unknown, key?: string): unknown {
    if (typeof value === 'string') {
      if (key === 'experiment_id' || key === 'experiment_ids') return this.experiments.get(value) ?? value;
      if (key === 'artifact_uri' || key === 'artifact_location' || key === 'source')
        return this.artifactPath(value);
      return this.runIds(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.message(item, key));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.message(v, k)]));
    return value;
  }
}

/** The request of `exchange` as the lab should receive it. */
const requestOf = (exchange: Exchange, ids: IdMap): MlflowRequest => {
  const params = new URLSearchParams(exchange.query_string ?? '');
  for (const [name, value] of [...params]) {
    if (name === 'experiment_id') params.set(name, ids.experiments.get(value) ?? value);
    else if (name === 'path') params.set(name, ids.artifactPath(value));
    else params.set(name, ids.runIds(value));
  }
  const query = params.toString();
  const path = ids.runIds(
    exchange.path.replace(
      /(\/mlflow-artifacts\/artifacts\/)(.*)$/,
      (_all, prefix: string, rest: string) => `${prefix}${ids.artifactPath(rest)}`,
    ),
  );
  const contentType = exchange.request_headers['content-type'];
  return {
    method: exchange.method,
    url: query === '' ? path : `${path}?${query}`,
    ...(exchange.request_json !== undefined ? { json: ids.message(exchange.request_json) } : {}),
    ...(exchange.request_body_base64 !== undefined
      ? {
          body: Buffer.from(exchange.request_body_base64, 'base64'),
          ...(contentType === undefined ? {} : { contentType }),
        }
      : {}),
  };
};

/** The recorded answer as the lab should give it: ids mapped. */
const expectedOf = (exchange: Exchange, ids: IdMap): unknown => ids.message(exchange.response_json);

/** Every difference between an answer and the expected one, as `path: what` lines. */
const differences = (actual: unknown, expected: unknown, path = '$'): string[] => {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (CLOCK_FIELDS.has(key))
    return typeof actual === typeof expected
      ? []
      : [`${path}: type ${typeof actual}, expected ${typeof expected}`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length)
      return [`${path}: ${actual.length} items, expected ${expected.length}`];
    return expected.flatMap((item, index) => differences(actual[index], item, `${path}[${index}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((k) => {
      if (!(k in actual)) return [`${path}.${k}: missing`];
      if (!(k in expected)) return [`${path}.${k}: not in MLflow's answer`];
      return differences(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
    });
  }
  return Object.is(actual, expected)
    ? []
    : [`${path}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
};

/** Learns the lab's ids from an answer to a create call. */
const learnIds = (exchange: Exchange, answer: unknown, ids: IdMap): void => {
  const recorded = exchange.response_json as Record<string, unknown> | undefined;
  const lab = answer as Record<string, unknown>;
  if (exchange.path.endsWith('/experiments/create'))
    ids.experiments.set(String(recorded?.experiment_id), String(lab.experiment_id));
  if (exchange.path.endsWith('/runs/create')) {
    const runId = (body: Record<string, unknown> | undefined): string =>
      String(((body?.run as Record<string, unknown>).info as Record<string, unknown>).run_id);
    ids.runs.set(runId(recorded), runId(lab));
  }
  if (exchange.path.endsWith('/logged-models')) {
    const hexOf = (body: Record<string, unknown> | undefined): string =>
      String(((body?.model as Record<string, unknown>).info as Record<string, unknown>).model_id).slice(2);
    ids.runs.set(hexOf(recorded), hexOf(lab));
  }
};

describe.each(await testDbKinds())('MLflow client session replay on %s (all 85 exchanges)', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let artifactRoot: string;
  let call: MlflowCall;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    artifactRoot = await mkdtemp(join(tmpdir(), 'nflab-mlflow-conformance-'));
    app = await buildServer({ db, artifactRoot });
    call = await mlflowCaller(app, db, 'editor');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(artifactRoot, { recursive: true, force: true });
  });

  test('the fixture is the full session of 85 exchanges, in order', () => {
    expect(EXCHANGES.map((exchange) => exchange.seq)).toEqual(EXCHANGES.map((_exchange, index) => index + 1));
    expect(EXCHANGES.length).toBe(85);
  });

  test("every replayed request gets MLflow's status and answer", async () => {
    const ids = new IdMap();
    for (const exchange of EXCHANGES) {
      const label = `#${exchange.seq} ${exchange.method} ${exchange.path} (${exchange.step})`;
      const response = await call(requestOf(exchange, ids));
      expect(response.statusCode, `${label}: ${response.body}`).toBe(exchange.status);
      if (exchange.response_json !== undefined) {
        expect(response.headers['content-type'], label).toMatch(/^application\/json/);
        const answer: unknown = response.json();
        // First: a create call's answer is where the lab's id comes from.
        if (exchange.status === 200) learnIds(exchange, answer, ids);
        expect(differences(answer, expectedOf(exchange, ids)), label).toEqual([]);
      } else {
        expect(
          response.rawPayload.equals(Buffer.from(exchange.response_body_base64 ?? '', 'base64')),
          label,
        ).toBe(true);
        expect(response.headers['content-type'], label).toMatch(/^text\/plain/);
      }
    }
  });
});
