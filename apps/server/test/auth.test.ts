import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { createUser, ensureInitialAdmin } from '../src/auth/users.js';
import { verifyPassword } from '../src/auth/password.js';
import { SAME_ORIGIN, signIn, type SignedIn } from './sign-in.js';

const UNAUTHENTICATED = {
  error: {
    code: 'unauthenticated',
    message:
      'sign in first: send the nflab_session cookie from POST /api/auth/login or an "Authorization: Bearer <token>" header',
  },
};

describe.each(await testDbKinds())('auth on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let admin: SignedIn;
  let viewer: SignedIn;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db });
    admin = await signIn(db, 'admin');
    viewer = await signIn(db, 'viewer');
    await createUser(db, { username: 'alice', password: 'correct horse', role: 'editor' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('health, readiness and login need no session; every other route answers 401 without one', async () => {
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    for (const url of ['/api/auth/me', '/api/data/tables', '/api/users']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json(), url).toEqual(UNAUTHENTICATED);
    }
    // An unknown path is no route's business: 404 for everyone, signed in or not.
    const unknown = await app.inject('/api/no-such-route');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /api/no-such-route' },
    });
    const forged = await app.inject({
      url: '/api/auth/me',
      headers: { cookie: 'nflab_session=nfl_s_forged' },
    });
    expect(forged.statusCode).toBe(401);
    const badBearer = await app.inject({
      url: '/api/auth/me',
      headers: { authorization: 'Bearer nfl_t_nope' },
    });
    expect(badBearer.statusCode).toBe(401);
  });

  test('login sets an HttpOnly session cookie that authenticates; logout ends it', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice', password: 'correct horse' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toMatchObject({ username: 'alice', role: 'editor' });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^nflab_session=nfl_s_[\w-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0] as string;
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toEqual({ user: login.json().user });
    const stored = await db.query<{ id: string }>('SELECT id FROM nf_sessions');
    expect(stored.rows.map((row) => row.id)).not.toContain(cookie.split('=')[1]);
    const logout = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: SAME_ORIGIN },
    });
    expect(logout.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  test('wrong password and unknown user get the same 401; a malformed body is 400 with issues', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice', password: 'wrong horse' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'mallory', password: 'wrong horse' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      error: { code: 'unauthenticated', message: 'wrong username or password' },
    });
    expect(unknown.json()).toEqual(wrong.json());
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({
      error: {
        code: 'config',
        message: 'body.password: Invalid input: expected string, received undefined (missing)',
        issues: [
          { path: 'body.password', message: 'Invalid input: expected string, received undefined (missing)' },
        ],
      },
    });
  });

  test('API tokens: shown once, stored hashed, work as bearer, listed without secret, revocable', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: viewer.cookie, origin: SAME_ORIGIN },
      payload: { name: 'laptop' },
    });
    expect(created.statusCode).toBe(201);
    const { id, token, name } = created.json();
    expect(name).toBe('laptop');
    expect(token).toMatch(/^nfl_t_/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/auth/me', headers: bearer })).json().user.username).toBe(
      viewer.username,
    );
    const list = (await app.inject({ url: '/api/auth/tokens', headers: { cookie: viewer.cookie } })).json();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id, name: 'laptop', revoked: false, user_id: viewer.userId });
    expect(JSON.stringify(list)).not.toContain(token);
    const revoke = await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: bearer });
    expect(revoke.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', headers: bearer })).statusCode).toBe(401);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${id}`,
      headers: { cookie: admin.cookie, origin: SAME_ORIGIN },
    });
    expect(again.statusCode).toBe(204);
    const missing = await app.inject({
      method: 'DELETE',
      url: '/api/auth/tokens/00000000-0000-4000-8000-000000000000',
      headers: { cookie: viewer.cookie, origin: SAME_ORIGIN },
    });
    expect(missing.statusCode).toBe(404);
  });

  test('users: admin only (403 for others), create, conflict, patch role and password', async () => {
    const forbidden = await app.inject({ url: '/api/users', headers: { cookie: viewer.cookie } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({
      error: { code: 'forbidden', message: 'this needs the admin role; you are signed in as viewer' },
    });
    const headers = { cookie: admin.cookie, origin: SAME_ORIGIN };
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers,
      payload: { username: 'bob', password: 'longenough', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'bob', role: 'viewer', disabled: false });
    const duplicate = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers,
      payload: { username: 'bob', password: 'longenough', role: 'viewer' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({ error: { code: 'conflict', message: 'user "bob" already exists' } });
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers,
      payload: { username: 'Bob!', password: 'short', role: 'root' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'body.username',
      'body.password',
      'body.role',
    ]);
    const bobId = created.json().id;
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/users/${bobId}`,
      headers,
      payload: { role: 'editor', password: 'another-pass' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().role).toBe('editor');
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'bob', password: 'another-pass' },
    });
    expect(login.json().user.role).toBe('editor');
    const list = (await app.inject({ url: '/api/users', headers })).json();
    expect(list.map((user: { username: string }) => user.username)).toContain('bob');
    expect(JSON.stringify(list)).not.toContain('scrypt');
    const empty = await app.inject({ method: 'PATCH', url: `/api/users/${bobId}`, headers, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  test('ensureInitialAdmin creates admin once, from NFLAB_ADMIN_PASSWORD or a random password', async () => {
    const fresh = await openTestDb(kind, { migrate: true });
    try {
      const first = await ensureInitialAdmin(fresh, { NFLAB_ADMIN_PASSWORD: 'from-the-env' });
      expect(first).toEqual({ created: true, username: 'admin', password: 'from-the-env', generated: false });
      const { rows } = await fresh.query<{ role: string; password_hash: string }>(
        "SELECT role, password_hash FROM nf_users WHERE username = 'admin'",
      );
      expect(rows[0]?.role).toBe('admin');
      expect(await verifyPassword('from-the-env', rows[0]?.password_hash ?? '')).toBe(true);
      expect(await ensureInitialAdmin(fresh, {})).toEqual({ created: false });
      await fresh.query('DELETE FROM nf_users');
      const random = await ensureInitialAdmin(fresh, {});
      expect(random.created && random.generated && random.password.length >= 16).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
