import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConflictError, StoreError } from '@nflab/contracts';
import { loadMigrations, openDb, openPglite, resolveDbTarget } from '@nflab/store';
import { lockDataDir, lockPath } from '../src/drivers/pglite-lock.js';
import { openTestDb, testDbKinds } from '@nflab/store/testing';

const kinds = await testDbKinds();

describe('resolveDbTarget', () => {
  test('a URL (option over DATABASE_URL) means the server; otherwise PGlite under NFLAB_HOME', () => {
    const env = { DATABASE_URL: 'postgres://env@h/db', NFLAB_HOME: '/srv/lab' };
    expect(resolveDbTarget({ url: 'postgres://opt@h/db', env })).toEqual({
      kind: 'postgres',
      url: 'postgres://opt@h/db',
    });
    expect(resolveDbTarget({ env })).toEqual({ kind: 'postgres', url: 'postgres://env@h/db' });
    expect(resolveDbTarget({ env: { DATABASE_URL: '', NFLAB_HOME: '/srv/lab' } })).toEqual({
      kind: 'pglite',
      dataDir: join('/srv/lab', 'db'),
    });
    expect(resolveDbTarget({ env: {} })).toEqual({ kind: 'pglite', dataDir: join('.nflab', 'db') });
    expect(resolveDbTarget({ dataDir: '/tmp/x', env: { NFLAB_HOME: '/srv/lab' } })).toEqual({
      kind: 'pglite',
      dataDir: '/tmp/x',
    });
  });
});

describe('openDb', () => {
  test('PGlite: creates the data folder, migrates on request, and keeps data across reopen', async () => {
    const home = await mkdtemp(join(tmpdir(), 'nflab-home-'));
    const env = { NFLAB_HOME: join(home, 'nested', 'home') };
    try {
      const first = await openDb({ env, migrate: true });
      expect(first.kind).toBe('pglite');
      expect(first.target).toEqual({ kind: 'pglite', dataDir: join(env.NFLAB_HOME, 'db') });
      expect(first.migrated.map((record) => record.version)).toEqual(
        (await loadMigrations()).map((m) => m.version),
      );
      await first.query(`INSERT INTO nf_audit_log (actor, action, entity) VALUES ('test', 'create', 'run')`);
      await first.close();
      expect((await stat(join(env.NFLAB_HOME, 'db'))).isDirectory()).toBe(true);

      const second = await openDb({ env, migrate: true });
      expect(second.migrated).toEqual([]);
      expect((await second.query('SELECT actor FROM nf_audit_log')).rows).toEqual([{ actor: 'test' }]);
      await second.close();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test.skipIf(!kinds.includes('postgres'))('server: DATABASE_URL selects PostgreSQL', async () => {
    const scratch = await openTestDb('postgres');
    try {
      const db = await openDb({ env: { DATABASE_URL: scratch.url }, migrate: true });
      expect(db.kind).toBe('postgres');
      expect(db.target).toEqual({ kind: 'postgres', url: scratch.url });
      expect(db.migrated.length).toBeGreaterThan(0);
      await db.close();
    } finally {
      await scratch.close();
    }
  });

  test('an unreachable server is a StoreError, not a hang', async () => {
    const error = await openDb({ url: 'postgres://postgres@127.0.0.1:1/none' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
  });
});

describe('PGlite data folder lock', () => {
  test('a second opener of a folder in use gets a ConflictError; a stale lock is taken over', async () => {
    const home = await mkdtemp(join(tmpdir(), 'nflab-lock-'));
    const dataDir = join(home, 'db');
    try {
      // The lock alone stands in for an open PGlite (opening one costs seconds); openPglite takes it.
      const release = await lockDataDir(dataDir);
      const error = await openDb({ dataDir }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(dataDir);
      expect((error as Error).message).toContain(`process ${process.pid}`);
      await release();
      await release(); // twice is harmless

      // A live holder (our parent process) blocks; a dead one (a crashed lab) does not.
      const holder = (pid: number) =>
        JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() });
      await writeFile(lockPath(dataDir), holder(process.ppid));
      await expect(openPglite(dataDir)).rejects.toThrow(`process ${process.ppid}`);
      await writeFile(lockPath(dataDir), holder(spawnSync(process.execPath, ['-e', '']).pid ?? 0));
      const reopened = await openPglite(dataDir);
      await expect(openPglite(dataDir)).rejects.toThrow(ConflictError);
      await reopened.close();
      await reopened.close(); // twice is harmless
      await expect(stat(lockPath(dataDir))).rejects.toThrow();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
