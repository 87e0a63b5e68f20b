/** A new password or disabling an account ends its sessions and revokes its API tokens. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { createApiToken } from '../../src/auth/api-tokens.js';
import { createUser } from '../../src/auth/users.js';
import { SAME_ORIGIN, signIn, type SignedIn } from '../sign-in.js';

describe.each(await testDbKinds())('session and token revocation on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let admin: SignedIn;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db, webRoot: false });
    admin = await signIn(db, 'admin');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  /** Signs `username` in through the API and gives them an API token. */
  const credentialsOf = async (username: string, password: string, userId: string) => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const { token } = await createApiToken(db, { userId, name: 'script' });
    return { cookie: { cookie }, bearer: { authorization: `Bearer ${token}` } };
  };
  const whoAmI = async (headers: Record<string, string>): Promise<number> =>
    (await app.inject({ url: '/api/auth/me', headers })).statusCode;
  const patch = (id: string, payload: object) =>
    app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: { cookie: admin.cookie, origin: SAME_ORIGIN },
      payload,
    });

  test('a password change ends sessions and revokes tokens; the new password signs in', async () => {
    const user = await createUser(db, { username: 'pat', password: 'old-password', role: 'editor' });
    const old = await credentialsOf('pat', 'old-password', user.id);
    expect(await whoAmI(old.cookie)).toBe(200);
    expect(await whoAmI(old.bearer)).toBe(200);
    expect((await patch(user.id, { password: 'new-password' })).statusCode).toBe(200);
    expect(await whoAmI(old.cookie)).toBe(401);
    expect(await whoAmI(old.bearer)).toBe(401);
    const { rows } = await db.query<{ revoked: boolean }>(
      'SELECT revoked FROM nf_api_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(rows).toEqual([{ revoked: true }]);
    const fresh = await credentialsOf('pat', 'new-password', user.id);
    expect(await whoAmI(fresh.cookie)).toBe(200);
    expect(await whoAmI(fresh.bearer)).toBe(200);
  });

  test('disabling ends sessions and revokes tokens; the account cannot sign in', async () => {
    const user = await createUser(db, { username: 'dana', password: 'dana-password', role: 'viewer' });
    const held = await credentialsOf('dana', 'dana-password', user.id);
    expect((await patch(user.id, { disabled: true })).statusCode).toBe(200);
    expect(await whoAmI(held.cookie)).toBe(401);
    expect(await whoAmI(held.bearer)).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dana', password: 'dana-password' },
    });
    expect(login.statusCode).toBe(401);
    // Enabling again does not bring the old credentials back.
    expect((await patch(user.id, { disabled: false })).statusCode).toBe(200);
    expect(await whoAmI(held.cookie)).toBe(401);
    expect(await whoAmI(held.bearer)).toBe(401);
  });

  test('a role change keeps sessions and tokens, which act with the new role at once', async () => {
    const user = await createUser(db, { username: 'rory', password: 'rory-password', role: 'editor' });
    const held = await credentialsOf('rory', 'rory-password', user.id);
    expect((await patch(user.id, { role: 'viewer' })).statusCode).toBe(200);
    const me = await app.inject({ url: '/api/auth/me', headers: held.bearer });
    expect(me.json().user).toMatchObject({ username: 'rory', role: 'viewer' });
    const queue = await app.inject({ method: 'POST', url: '/api/runs', headers: held.bearer, payload: {} });
    expect(queue.statusCode).toBe(403);
  });

  test("other users' sessions and tokens are untouched", async () => {
    const user = await createUser(db, { username: 'sam', password: 'sam-password', role: 'viewer' });
    const bystander = await createUser(db, { username: 'kim', password: 'kim-password', role: 'viewer' });
    const kept = await credentialsOf('kim', 'kim-password', bystander.id);
    await patch(user.id, { password: 'sam-password-2', disabled: true });
    expect(await whoAmI(kept.cookie)).toBe(200);
    expect(await whoAmI(kept.bearer)).toBe(200);
  });
});
