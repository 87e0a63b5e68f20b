/** CSRF defence: cookie-authenticated changes must name this server's origin; bearer tokens are exempt. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { createApiToken } from '../../src/auth/api-tokens.js';
import { SAME_ORIGIN, signIn, type SignedIn } from '../sign-in.js';

const UUID = '00000000-0000-4000-8000-000000000000';

describe.each(await testDbKinds())('CSRF defence on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let editor: SignedIn;
  let bearer: string;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db, webRoot: false });
    editor = await signIn(db, 'editor');
    bearer = `Bearer ${(await createApiToken(db, { userId: editor.userId, name: 'ci' })).token}`;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const createToken = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: { name: 'via-csrf-test' } });
  const tokenCount = async (): Promise<number> =>
    (await db.query('SELECT 1 FROM nf_api_tokens WHERE name = $1', ['via-csrf-test'])).rows.length;

  test('a cross-origin cookie POST is refused with 403 cross_origin before the handler runs', async () => {
    const refused = await createToken({ cookie: editor.cookie, origin: 'https://evil.example' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('cross_origin');
    expect(refused.json().error.message).toMatch(
      /^POST from origin https:\/\/evil\.example is refused: changes must come from this server's own pages \(http:\/\/localhost\)/,
    );
    expect(await tokenCount()).toBe(0);
  });

  test('the reported attack: a cross-site text/plain form POST to cancel never reaches the handler', async () => {
    for (const url of [
      `/api/sweeps/${UUID}/cancel`,
      `/api/sweeps/${UUID}/resume`,
      `/api/runs/${UUID}/cancel`,
    ]) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { cookie: editor.cookie, origin: 'https://evil.example', 'content-type': 'text/plain' },
        payload: 'x=1',
      });
      // 403, not the handler's 404 for an unknown id.
      expect(response.statusCode, url).toBe(403);
      expect(response.json().error.code, url).toBe('cross_origin');
    }
  });

  test('same-origin cookie changes pass, by Origin or (without it) by Referer', async () => {
    expect((await createToken({ cookie: editor.cookie, origin: SAME_ORIGIN })).statusCode).toBe(201);
    const byReferer = await createToken({
      cookie: editor.cookie,
      referer: `${SAME_ORIGIN}/runs/1?tab=trials`,
    });
    expect(byReferer.statusCode).toBe(201);
    expect(await tokenCount()).toBe(2);
    const foreignReferer = await createToken({ cookie: editor.cookie, referer: 'https://evil.example/page' });
    expect(foreignReferer.statusCode).toBe(403);
    const otherPort = await createToken({ cookie: editor.cookie, origin: 'http://localhost:8081' });
    expect(otherPort.statusCode).toBe(403);
    const opaque = await createToken({ cookie: editor.cookie, origin: 'null' });
    expect(opaque.statusCode).toBe(403);
  });

  test('a cookie change with neither Origin nor Referer is refused, naming the way out', async () => {
    const response = await createToken({ cookie: editor.cookie });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: {
        code: 'cross_origin',
        message:
          'POST with the session cookie but no Origin or Referer header is refused (CSRF defence); browsers send Origin on their own, scripts should use an "Authorization: Bearer <token>" header instead',
      },
    });
  });

  test('bearer-token changes are exempt, whatever Origin they carry', async () => {
    expect((await createToken({ authorization: bearer })).statusCode).toBe(201);
    expect((await createToken({ authorization: bearer, origin: 'https://evil.example' })).statusCode).toBe(
      201,
    );
  });

  test('reads are not changes: a cross-origin cookie GET is answered', async () => {
    const read = await app.inject({
      url: '/api/auth/me',
      headers: { cookie: editor.cookie, origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
  });

  test('sign-in from another site is refused (login CSRF); from scripts and this origin it works', async () => {
    const payload = { username: editor.username, password: 'password-123' };
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload,
    });
    expect(foreign.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload })).statusCode).toBe(200);
    const same = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: SAME_ORIGIN },
      payload,
    });
    expect(same.statusCode).toBe(200);
  });

  test('behind a trusted TLS proxy the public origin counts; without trust it does not', async () => {
    const proxied = {
      cookie: editor.cookie,
      origin: 'https://lab.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'lab.example',
    };
    expect((await createToken(proxied)).statusCode).toBe(403);
    const behindProxy = await buildServer({ db, webRoot: false, trustProxy: true });
    try {
      const response = await behindProxy.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        headers: proxied,
        payload: { name: 'via-proxy' },
      });
      expect(response.statusCode).toBe(201);
    } finally {
      await behindProxy.close();
    }
  });
});
