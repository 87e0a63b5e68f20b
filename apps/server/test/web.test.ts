import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { signIn } from './sign-in.js';

describe('web build and unknown routes', () => {
  let db: TestDb;
  let web: FastifyInstance;
  let apiOnly: FastifyInstance;
  let root: string;
  let cookie: string;

  beforeAll(async () => {
    db = await openTestDb('pglite', { migrate: true });
    root = await mkdtemp(join(tmpdir(), 'nflab-web-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    web = await buildServer({ db, webRoot: root });
    apiOnly = await buildServer({ db, webRoot: false });
    cookie = (await signIn(db, 'viewer')).cookie;
  });
  afterAll(async () => {
    await web.close();
    await apiOnly.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  test('the built UI is served without a session; deep links get index.html', async () => {
    const index = await web.inject('/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('id="root"');
    const asset = await web.inject('/assets/app.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    const deep = await web.inject('/runs/123?tab=trials');
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.body).toContain('id="root"');
  });

  test('unknown API paths are JSON 404s, signed in or not, never the page', async () => {
    for (const app of [web, apiOnly]) {
      const anonymous = await app.inject('/api/nope');
      expect(anonymous.statusCode).toBe(404);
      expect(anonymous.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nope' } });
      const missing = await app.inject({ url: '/api/nope?x=1', headers: { cookie } });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nope' } });
    }
    expect((await apiOnly.inject('/runs/123')).statusCode).toBe(404);
  });
});
