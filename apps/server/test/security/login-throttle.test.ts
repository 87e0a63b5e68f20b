/** Sign-in throttling: per username and per client address, 429 with Retry-After, growing lockouts. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { createUser } from '../../src/auth/users.js';

const PASSWORD = 'correct horse';

describe.each(await testDbKinds())('sign-in throttle on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;

  const login = (target: FastifyInstance, username: string, password: string, address: string) =>
    target.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: address,
    });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({
      db,
      webRoot: false,
      loginThrottle: { attemptsPerUsername: 3, attemptsPerAddress: 5, lockoutSeconds: 60 },
    });
    for (const username of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
      await createUser(db, { username, password: PASSWORD, role: 'viewer' });
    }
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('N wrong passwords lock the username: 429 with Retry-After, even for the right password', async () => {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(
        (await login(app, 'alice', `guess-${attempt}`, '10.0.0.1')).statusCode,
        `attempt ${attempt}`,
      ).toBe(401);
    }
    const locked = await login(app, 'alice', PASSWORD, '10.0.0.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'too many failed sign-ins for this account or from this address; try again in 60 s',
      },
    });
    expect(locked.headers['set-cookie']).toBeUndefined();
    // The lockout is the username's: from another address it holds too, and other users sign in.
    expect((await login(app, 'alice', PASSWORD, '10.0.0.9')).statusCode).toBe(429);
    expect((await login(app, 'bob', PASSWORD, '10.0.0.1')).statusCode).toBe(200);
  });

  test('unknown usernames are throttled alike, so lockouts do not tell which exist', async () => {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await login(app, 'nobody', 'guess', '10.0.1.1')).statusCode).toBe(401);
    }
    expect((await login(app, 'nobody', 'guess', '10.0.1.1')).statusCode).toBe(429);
  });

  test('failures from one address across usernames lock the address, not those users elsewhere', async () => {
    const address = '10.0.0.2';
    for (const username of ['carol', 'dave', 'erin', 'ghost', 'carol']) {
      expect((await login(app, username, 'wrong', address)).statusCode, username).toBe(401);
    }
    const locked = await login(app, 'frank', PASSWORD, address);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect((await login(app, 'frank', PASSWORD, '10.0.0.3')).statusCode).toBe(200);
    expect((await login(app, 'carol', PASSWORD, '10.0.0.3')).statusCode).toBe(200);
  });

  test("a successful sign-in clears the username's failures", async () => {
    const address = '10.0.0.4';
    await createUser(db, { username: 'grace', password: PASSWORD, role: 'viewer' });
    for (let round = 0; round < 2; round += 1) {
      expect((await login(app, 'grace', 'wrong', address)).statusCode).toBe(401);
      expect((await login(app, 'grace', 'wrong', address)).statusCode).toBe(401);
      expect((await login(app, 'grace', PASSWORD, address)).statusCode).toBe(200);
    }
  });

  test('each further lockout lasts twice as long', async () => {
    const short = await buildServer({
      db,
      webRoot: false,
      loginThrottle: { attemptsPerUsername: 2, lockoutSeconds: 1 },
    });
    try {
      await createUser(db, { username: 'heidi', password: PASSWORD, role: 'viewer' });
      for (const expected of ['1', '2']) {
        expect((await login(short, 'heidi', 'wrong', '10.0.0.5')).statusCode).toBe(401);
        expect((await login(short, 'heidi', 'wrong', '10.0.0.5')).statusCode).toBe(401);
        const locked = await login(short, 'heidi', PASSWORD, '10.0.0.5');
        expect(locked.statusCode).toBe(429);
        expect(locked.headers['retry-after']).toBe(expected);
        await sleep(Number(expected) * 1000 + 100);
      }
      expect((await login(short, 'heidi', PASSWORD, '10.0.0.5')).statusCode).toBe(200);
    } finally {
      await short.close();
    }
  });

  test('bad throttle settings are refused at start-up, naming the setting', async () => {
    await expect(
      buildServer({ db, webRoot: false, loginThrottle: { attemptsPerUsername: 0 } }),
    ).rejects.toThrow('loginThrottle.attemptsPerUsername is 0; use a whole number ≥ 1');
    await expect(buildServer({ db, webRoot: false, loginThrottle: { lockoutSeconds: 0.5 } })).rejects.toThrow(
      'loginThrottle.lockoutSeconds is 0.5; use a whole number ≥ 1',
    );
  });
});
