/** Security headers (helmet, with the UI's Content-Security-Policy) and Secure cookies behind a TLS proxy. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { createUser } from '../../src/auth/users.js';

const CSP =
  "default-src 'self';base-uri 'self';connect-src 'self';font-src 'self' data:;form-action 'self';" +
  "frame-ancestors 'none';img-src 'self' data: blob:;object-src 'none';script-src 'self';" +
  "script-src-attr 'none';style-src 'self' 'unsafe-inline'";

describe.each(await testDbKinds())('security headers and cookies on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let root: string;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    root = await mkdtemp(join(tmpdir(), 'nflab-headers-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    app = await buildServer({ db, webRoot: root });
    await createUser(db, { username: 'tess', password: 'tess-password', role: 'viewer' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  test('every kind of answer carries the CSP and the other security headers', async () => {
    const answers = {
      shell: await app.inject('/'),
      deepLink: await app.inject('/runs/1'),
      api: await app.inject('/api/health'),
      unauthenticated: await app.inject('/api/runs'),
      notFound: await app.inject({ method: 'POST', url: '/api/nope' }),
    };
    expect(Object.values(answers).map((answer) => answer.statusCode)).toEqual([200, 200, 200, 401, 404]);
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.headers['content-security-policy'], name).toBe(CSP);
      expect(answer.headers['x-content-type-options'], name).toBe('nosniff');
      expect(answer.headers['x-frame-options'], name).toBe('SAMEORIGIN');
      expect(answer.headers['referrer-policy'], name).toBe('same-origin');
      expect(answer.headers['cross-origin-opener-policy'], name).toBe('same-origin');
      expect(answer.headers['cross-origin-resource-policy'], name).toBe('same-origin');
      expect(answer.headers['strict-transport-security'], name).toMatch(/^max-age=\d+/);
      expect(answer.headers['x-powered-by'], name).toBeUndefined();
    }
  });

  const signIn = (target: FastifyInstance, headers: Record<string, string>) =>
    target.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers,
      payload: { username: 'tess', password: 'tess-password' },
    });

  test('the session cookie is Secure behind a trusted TLS proxy, and only then', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const direct = await signIn(app, https);
    expect(direct.statusCode).toBe(200);
    expect(String(direct.headers['set-cookie'])).not.toContain('Secure');
    const proxied = await buildServer({ db, webRoot: false, trustProxy: '127.0.0.1' });
    try {
      const behindTls = await signIn(proxied, https);
      expect(behindTls.statusCode).toBe(200);
      expect(String(behindTls.headers['set-cookie'])).toMatch(/; Secure/);
      const plain = await signIn(proxied, {});
      expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
      // A peer that is not the named proxy cannot claim TLS.
      const spoofed = await proxied.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: https,
        remoteAddress: '203.0.113.7',
        payload: { username: 'tess', password: 'tess-password' },
      });
      expect(String(spoofed.headers['set-cookie'])).not.toContain('Secure');
    } finally {
      await proxied.close();
    }
  });
});
