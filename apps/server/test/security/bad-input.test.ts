/**
 * Bad input never answers 500: NUL characters and unpaired surrogates, out-of-range dates and numbers, awkward artifact
 * files and a database outage each get a 4xx naming the field (or a bare 503), on both engines.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { openPostgres } from '@nflab/store';
import { openTestDb, testDbKinds, testPgUrl, type TestDb } from '@nflab/store/testing';
import pg from 'pg';
import { buildServer } from '../../src/app.js';
import { seedRuns, type SeededRuns } from '../seed-runs.js';
import { SAME_ORIGIN, signIn } from '../sign-in.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const kinds = await testDbKinds();

/** The issue paths of a 400 answer. */
const issuePaths = (response: LightMyRequestResponse): string[] =>
  (response.json() as { error: { issues?: { path: string }[] } }).error.issues?.map((i) => i.path) ?? [];

describe.each(kinds)('bad input on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let seeded: SeededRuns;
  let root: string;
  let cookie: string;
  let send: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  let get: (url: string) => Promise<LightMyRequestResponse>;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    root = await mkdtemp(join(tmpdir(), 'nflab-bad-input-'));
    await mkdir(join(root, 'model', 'folder'), { recursive: true });
    await writeFile(join(root, 'model', 'weights.bin'), 'bytes');
    await writeFile(join(root, 'model', 'naïve–東京 "q".bin'), 'tokyo');
    seeded = await seedRuns(db);
    app = await buildServer({ db, artifactRoot: root });
    ({ cookie } = await signIn(db, 'editor'));
    send = (options) =>
      app.inject({ ...options, headers: { cookie, origin: SAME_ORIGIN, ...options.headers } });
    get = (url) => send({ url });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  test('a NUL character in a query string is a 400 naming the field', async () => {
    for (const field of ['model', 'loto', 'unique_id', 'loss', 'status']) {
      const response = await get(`/api/runs?${field}=a%00b`);
      expect(response.statusCode, field).toBe(400);
      expect(issuePaths(response), field).toEqual([`query.${field}`]);
      expect(response.json().error.message).toContain('NUL');
    }
  });

  test('a NUL character in a path parameter is a 400 naming it', async () => {
    const [id] = seeded.runIds;
    const paths: [string, string][] = [
      ['/api/runs/%00', 'path.id'],
      [`/api/runs/${id}/artifacts/1%00/download`, 'path.artifactId'],
      ['/api/data/tables/nf_loto_final/games/loto%006/series', 'path.loto'],
      ['/api/data/tables/nf_loto%00/preview', 'path.table'],
    ];
    for (const [url, field] of paths) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(issuePaths(response), url).toEqual([field]);
    }
  });

  test('a NUL character in a JSON body (value or key) is a 400 naming the field', async () => {
    // Public: refused before the database sees the name, without credentials.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin\u0000', password: 'whatever' },
    });
    expect(login.statusCode).toBe(400);
    expect(issuePaths(login)).toEqual(['body.username']);
    const token = await send({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'ci\u0000' } });
    expect(token.statusCode).toBe(400);
    expect(issuePaths(token)).toEqual(['body.name']);
    const nested = await send({
      method: 'POST',
      url: '/api/specs/validate',
      payload: { kind: 'run', spec: { loto: 'loto6', unique_ids: ['N1', 'N\u00002'], ['k\u0000']: 1 } },
    });
    expect(nested.statusCode).toBe(400);
    expect(issuePaths(nested)).toEqual(['body.spec.k\\u0000', 'body.spec.unique_ids[1]']);
  });

  test('an unpaired surrogate in a JSON body is a 400 naming the field, not a 500 or a silent U+FFFD', async () => {
    // JSON may escape half a character; jsonb refuses it and a text column would store U+FFFD.
    const spec = '{"loto":"loto6","unique_ids":["N1"],"model":"mlp","h":1,"config":{"input_size":4}';
    for (const [url, payload, field] of [
      ['/api/sweeps', `{"spec":${spec},"name":"lone \\ud800"}}`, 'body.spec.name'],
      ['/api/sweeps', `{"spec":${spec}},"name":"x\\udc00"}`, 'body.name'],
      ['/api/auth/tokens', '{"name":"\\udfff"}', 'body.name'],
      ['/api/specs/validate', `{"kind":"run","spec":{"\\ud83d":1}}`, 'body.spec.\\ud83d'],
    ] as const) {
      const response = await send({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode, payload).toBe(400);
      expect(issuePaths(response), payload).toEqual([field]);
      expect(response.json().error.message).toContain('unpaired surrogate');
    }
    // A whole character made of a surrogate pair is fine.
    const emoji = await send({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'ci 🚀' } });
    expect(emoji.statusCode).toBe(201);
    expect(emoji.json().name).toBe('ci 🚀');
  });

  test('run-history dates: out-of-range and impossible days are 400s, the far ends still work', async () => {
    for (const [query, field] of [
      ['from=0000-01-01', 'query.from'],
      ['to=0000-01-01', 'query.to'],
      ['from=0000-01-01T00:00:00Z', 'query.from'],
      ['from=%2B275760-09-13', 'query.from'],
      ['to=%2B275760-09-13T00:00:00Z', 'query.to'],
      ['from=2020-02-30', 'query.from'],
      ['to=2021-02-29T00:00:00Z', 'query.to'],
      ['from=10000-01-01', 'query.from'],
    ] as const) {
      const response = await get(`/api/runs?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(issuePaths(response), query).toEqual([field]);
    }
    const total = async (query: string): Promise<number> => {
      const response = await get(`/api/runs?${query}`);
      expect(response.statusCode, query).toBe(200);
      return (response.json() as { total: number }).total;
    };
    expect(await total('to=9999-12-31')).toBe(3);
    expect(await total('from=9999-12-31')).toBe(0);
    expect(await total('from=0001-01-01&to=9999-12-31')).toBe(3);
    expect(await total('to=9999-12-31T23:59:59-14:00')).toBe(3);
    expect(await total('from=0001-01-01T00:00:00%2B14:00')).toBe(3);
    // A bare `to` still includes its whole (UTC) day; runs were created 2026-01-01, -02 and -03.
    expect(await total('to=2026-01-02')).toBe(2);
    expect(await total('from=2026-01-02&to=2026-01-02')).toBe(1);
    expect(await total('to=2024-02-29')).toBe(0);
  });

  test('numbers beyond their column and malformed ids or enums are 400s naming the field', async () => {
    const [id] = seeded.runIds;
    for (const [url, field] of [
      ['/api/runs?h=99999999999999', 'query.h'],
      ['/api/runs?h=2147483648', 'query.h'],
      ['/api/runs?limit=1e400', 'query.limit'],
      ['/api/runs?offset=-1', 'query.offset'],
      ['/api/runs?sort=password_hash', 'query.sort'],
      ['/api/runs?status=deleted', 'query.status[0]'],
      ['/api/runs/not-a-uuid', 'path.id'],
      ['/api/runs/99999999999999999999999999999999999', 'path.id'],
      [`/api/runs/${id}/artifacts/99999999999999999999/download`, 'path.artifactId'],
      [`/api/runs/${id}/artifacts/-1/download`, 'path.artifactId'],
      [`/api/runs/${id}/predictions?kind=future`, 'query.kind'],
      [`/api/runs/${id}/step-metrics?after_id=1e30`, 'query.after_id'],
      ['/api/sweeps/12345', 'path.id'],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(issuePaths(response), url).toEqual([field]);
    }
    expect((await get('/api/runs?h=2147483647')).statusCode).toBe(200);
  });

  test('wrong content types and bodies that are not objects are 4xx, not 500', async () => {
    const xml = await send({
      method: 'POST',
      url: '/api/runs',
      payload: '<run/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.statusCode).toBe(415);
    for (const payload of ['{"spec":', 'null', '[]', '"text"', '42']) {
      const response = await send({
        method: 'POST',
        url: '/api/sweeps/plan',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode, payload).toBe(400);
    }
  });

  test('artifact download: a UTF-8 file name, a folder and a missing file', async () => {
    const [id] = seeded.runIds;
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO nf_artifacts (run_id, path, kind) VALUES ($1, $2, 'model'), ($1, 'model/folder', 'model'),
              ($1, 'model/gone.bin', 'model') RETURNING id`,
      [id, 'model/naïve–東京 "q".bin'],
    );
    const [named, folder, gone] = rows.map((row) => row.id);
    const download = await get(`/api/runs/${id}/artifacts/${named}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('tokyo');
    expect(download.headers['content-length']).toBe('5');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="na_ve___ _q_.bin"; filename*=UTF-8''${encodeURIComponent('naïve–東京 "q".bin')}`,
    );
    const isFolder = await get(`/api/runs/${id}/artifacts/${folder}/download`);
    expect(isFolder.statusCode).toBe(409);
    expect(isFolder.json().error).toMatchObject({ code: 'conflict' });
    expect(isFolder.json().error.message).toContain('"model/folder" is a folder');
    const missing = await get(`/api/runs/${id}/artifacts/${gone}/download`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain('"model/gone.bin" is missing');
  });
});

describe.each(kinds)('a failing query on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('answers 500 without the driver text, which names tables and columns', async () => {
    const { cookie } = await signIn(db, 'viewer');
    // A schema broken by hand: the query fails in the database, not for lack of a connection.
    await db.exec('DROP TABLE nf_sweeps CASCADE');
    const response = await app.inject({ url: '/api/sweeps', headers: { cookie } });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: {
        code: 'store',
        message: expect.stringMatching(
          /^a database query failed \(request id [^)]+\); the server log has the details$/,
        ),
      },
    });
    expect(response.body).not.toContain('nf_sweeps');
  });
});

const UNAVAILABLE = {
  error: {
    code: 'unavailable',
    message: expect.stringMatching(
      /^the lab database is unavailable right now; try again shortly \(request id [^)]+\)$/,
    ),
  },
};

/** Runs `sql` on the test server's administrative database. */
const adminQuery = async (sql: string): Promise<void> => {
  const client = new pg.Client({ connectionString: testPgUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

describe.runIf(kinds.includes('postgres'))('a database closed to connections on postgres', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let name: string;

  beforeAll(async () => {
    db = await openTestDb('postgres', { migrate: true });
    name = new URL(db.url as string).pathname.slice(1);
    app = await buildServer({ db });
  });
  afterAll(async () => {
    await app.close();
    await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await db.close();
  });

  test('answers 503 once its connections are ended and new ones refused', async () => {
    const { cookie } = await signIn(db, 'viewer');
    expect((await app.inject({ url: '/api/runs', headers: { cookie } })).statusCode).toBe(200);
    // As an operator taking the database down for maintenance would.
    await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    for (const url of ['/api/runs', '/api/sweeps', '/api/auth/me']) {
      const response = await app.inject({ url, headers: { cookie } });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(503);
      expect(response.json()).toEqual(UNAVAILABLE);
      expect(response.body).not.toContain(name);
    }
  });
});

describe.runIf(kinds.includes('postgres'))('a database outage on postgres', () => {
  let db: TestDb;
  let proxy: TcpProxy;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    db = await openTestDb('postgres', { migrate: true });
    const url = new URL(db.url as string);
    // The lab reaches its database through a proxy the test can cut, as a network outage would.
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const proxied = await openPostgres({ url: url.toString() });
    app = await buildServer({ db: proxied });
    app.addHook('onClose', () => proxied.close());
    ({ cookie } = await signIn(db, 'viewer'));
  });
  afterAll(async () => {
    await app.close();
    await proxy.close();
    await db.close();
  });

  test('answers 503 with a generic message: no host, port or driver text', async () => {
    expect((await app.inject({ url: '/api/runs', headers: { cookie } })).statusCode).toBe(200);
    await proxy.close();
    const answers = [
      await app.inject({ url: '/api/runs', headers: { cookie } }),
      await app.inject({ url: '/api/auth/me', headers: { cookie } }),
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'someone', password: 'password-123' },
      }),
    ];
    for (const response of answers) {
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual(UNAVAILABLE);
      expect(response.body).not.toContain(String(proxy.port));
      expect(response.body).not.toMatch(/127\.0\.0\.1|ECONN|connect|postgres/i);
    }
  });
});
