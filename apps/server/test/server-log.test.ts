import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openPostgres } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { SAME_ORIGIN, signIn } from './sign-in.js';

type LogLine = Record<string, unknown> & { msg?: string; level?: number; request_id?: string };

const readLines = async (file: string): Promise<LogLine[]> =>
  (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);

/** The first line matching `match`, waiting for it (the request's line is written after its response). */
const lineOf = async (file: string, match: (line: LogLine) => boolean): Promise<LogLine> => {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = (await readLines(file)).find(match);
    if (found !== undefined) return found;
    await sleep(50);
  }
  throw new Error(`no matching line in ${file}:\n${await readFile(file, 'utf8').catch(() => '(missing)')}`);
};

describe.each(await testDbKinds())('server log on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let dir: string;
  let logFile: string;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    dir = await mkdtemp(join(tmpdir(), 'nflab-log-'));
    logFile = join(dir, 'logs', 'server.log');
    // The audit "file" is a folder, so every audit append fails: the action must still succeed.
    await mkdir(join(dir, 'audit-is-a-folder'));
    app = await buildServer({ db, logFile, auditFile: join(dir, 'audit-is-a-folder') });
    app.get('/api/test-boom', { config: { access: 'public' } }, async () => {
      throw new Error('kaboom in a handler');
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('each request writes one line: request id, method, route, status, duration, user id', async () => {
    const health = await app.inject({ url: '/api/health' });
    expect(health.statusCode).toBe(200);
    const anonymous = await lineOf(logFile, (l) => l.msg === 'request' && l.url === '/api/health');
    expect(anonymous).toMatchObject({ method: 'GET', route: '/api/health', status: 200, user_id: null });
    expect(typeof anonymous.request_id).toBe('string');
    expect(typeof anonymous.duration_ms).toBe('number');

    const viewer = await signIn(db, 'viewer');
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: viewer.cookie } });
    expect(me.statusCode).toBe(200);
    const signedIn = await lineOf(logFile, (l) => l.msg === 'request' && l.url === '/api/auth/me');
    expect(signedIn).toMatchObject({ route: '/api/auth/me', status: 200, user_id: viewer.userId });
    expect(signedIn.request_id).not.toBe(anonymous.request_id);
    const lines = (await readLines(logFile)).filter((l) => l.request_id === signedIn.request_id);
    expect(lines).toHaveLength(1);
  });

  test('a 5xx logs its stack at error level; the client sees neither', async () => {
    const boom = await app.inject({ url: '/api/test-boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('kaboom');
    const failed = await lineOf(logFile, (l) => l.msg === 'request failed' && l.err !== undefined);
    expect(failed.level).toBe(50);
    expect((failed.err as { stack: string }).stack).toContain('kaboom in a handler');
    expect((failed.err as { stack: string }).stack).toContain('server-log.test.ts');
    const summary = await lineOf(logFile, (l) => l.request_id === failed.request_id && l.status === 500);
    expect(summary).toMatchObject({ route: '/api/test-boom', level: 50 });
  });

  test('an audit entry that cannot be written is logged, and the action still succeeds', async () => {
    const admin = await signIn(db, 'admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie, origin: SAME_ORIGIN },
      payload: { username: 'frank', password: 'frank-secret-1', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const logged = await lineOf(logFile, (l) => l.msg === 'audit entry could not be written');
    expect(logged).toMatchObject({ level: 50, destination: 'file', audit: { action: 'user.create' } });
    expect((logged.err as { message: string }).message).toContain('EISDIR');
    // The table half of the entry was still written.
    const { rows } = await db.query(
      `SELECT 1 FROM nf_audit_log WHERE action = 'user.create' AND actor = $1`,
      [admin.username],
    );
    expect(rows).toHaveLength(1);
  });
});

const hasServer = (await testDbKinds()).includes('postgres');

describe.skipIf(!hasServer)('server log during a database outage', () => {
  test('the driver error and its cause are logged; the client gets no host, port or driver text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nflab-outage-'));
    const logFile = join(dir, 'server.log');
    const real = await openTestDb('postgres', { migrate: true });
    const target = new URL(real.url ?? '');
    // The lab reaches the server through a TCP relay; closing the relay is the outage.
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as AddressInfo).port;
    const viaRelay = new URL(target);
    viaRelay.port = String(port);
    const db = await openPostgres({ url: viaRelay.toString() });
    const app = await buildServer({ db, logFile, auditFile: false });
    try {
      const viewer = await signIn(db, 'viewer');
      expect((await app.inject({ url: '/api/runs', headers: { cookie: viewer.cookie } })).statusCode).toBe(
        200,
      );
      await new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      const response = await app.inject({ url: '/api/runs', headers: { cookie: viewer.cookie } });
      expect(response.statusCode).toBe(503);
      for (const leak of ['127.0.0.1', String(port), 'ECONNREFUSED', 'SELECT', 'nf_sessions'])
        expect(response.body, leak).not.toContain(leak);
      const failed = await lineOf(logFile, (l) => l.msg === 'database unavailable' && l.err !== undefined);
      expect((failed.err as { stack: string }).stack).toMatch(/ECONNREFUSED|terminat|Connection/);
      expect(response.body).toContain(String(failed.request_id));
    } finally {
      await app.close();
      await db.close();
      await real.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
