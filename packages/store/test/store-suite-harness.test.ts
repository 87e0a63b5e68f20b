import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { openTestDb, testDbKinds, testPgUrl, truncateLabTables, TEST_DB_PREFIX } from '@nflab/store/testing';
import { dropLeakedTestDatabases, isLeaked, withAdminClient } from '../src/test-databases.js';

const kinds = await testDbKinds();

// The pid of a process that has certainly exited.
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid ?? 0;

const label = (pid: number, createdAt = Date.now()) => JSON.stringify({ host: hostname(), pid, createdAt });

const databaseExists = async (name: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString: testPgUrl() });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rows.length === 1;
  } finally {
    await client.end();
  }
};

describe('testDbKinds', () => {
  test('always includes pglite first', () => {
    expect(kinds[0]).toBe('pglite');
    expect(kinds.every((kind) => kind === 'pglite' || kind === 'postgres')).toBe(true);
  });

  test('skips an unreachable server locally but demands it on CI', async () => {
    const saved = { url: process.env.NFLAB_TEST_PG_URL, ci: process.env.CI };
    // Port 1 on loopback refuses at once, so this needs no timeout.
    process.env.NFLAB_TEST_PG_URL = 'postgres://postgres@127.0.0.1:1/postgres';
    try {
      delete process.env.CI;
      expect(await testDbKinds()).toEqual(['pglite']);
      process.env.CI = 'true';
      expect(await testDbKinds()).toEqual(['pglite', 'postgres']);
    } finally {
      for (const [key, value] of [
        ['NFLAB_TEST_PG_URL', saved.url],
        ['CI', saved.ci],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe.each(kinds)('openTestDb(%s)', (kind) => {
  test('opens an empty, writable database of that kind', async () => {
    const db = await openTestDb(kind);
    try {
      expect(db.kind).toBe(kind);
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(rows[0]?.n).toBe(0);
      await db.exec('CREATE TABLE t (x int)');
      await db.transaction((tx) => tx.query('INSERT INTO t VALUES ($1)', [1]));
      expect((await db.query('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
    } finally {
      await db.close();
    }
  });
});

describe.each(kinds)('openTestDb(%s, { migrate: true }) and truncateLabTables', (kind) => {
  test('gives the lab schema; truncation empties every lab table but keeps migrations and restarts ids', async () => {
    const db = await openTestDb(kind, { migrate: true });
    try {
      const run = await db.query<{ id: string }>('INSERT INTO nf_model_runs DEFAULT VALUES RETURNING id');
      await db.query(`INSERT INTO nf_trials (run_id, number) VALUES ($1, 0)`, [run.rows[0]?.id]);
      await db.query(`INSERT INTO nf_audit_log (actor, action, entity) VALUES ('t', 'a', 'e')`);
      const versions = (await db.query('SELECT version FROM nflab_schema_version')).rows.length;
      expect(versions).toBeGreaterThan(0);
      await truncateLabTables(db);
      for (const table of ['nf_model_runs', 'nf_trials', 'nf_audit_log']) {
        expect((await db.query(`SELECT 1 FROM ${table}`)).rows, table).toEqual([]);
      }
      expect((await db.query('SELECT version FROM nflab_schema_version')).rows).toHaveLength(versions);
      const again = await db.query<{ id: number }>(
        `INSERT INTO nf_audit_log (actor, action, entity) VALUES ('t', 'a', 'e') RETURNING id`,
      );
      expect(again.rows[0]?.id).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!kinds.includes('postgres'))('openTestDb(postgres) lifecycle', () => {
  test('creates a fresh nflab_t_ database per call and drops it on close, even with other connections open', async () => {
    const a = await openTestDb('postgres');
    const b = await openTestDb('postgres');
    const nameA = new URL(a.url ?? '').pathname.slice(1);
    const nameB = new URL(b.url ?? '').pathname.slice(1);
    expect(nameA.startsWith(TEST_DB_PREFIX)).toBe(true);
    expect(nameA).not.toBe(nameB);
    expect(await databaseExists(nameA)).toBe(true);
    // A stray connection must not stop the drop (WITH (FORCE)).
    const stray = new pg.Client({ connectionString: a.url });
    stray.on('error', () => undefined);
    await stray.connect();
    await a.close();
    await b.close();
    await stray.end().catch(() => undefined);
    expect(await databaseExists(nameA)).toBe(false);
    expect(await databaseExists(nameB)).toBe(false);
  });
});

describe('leaked test databases', () => {
  test('are those whose maker died on this host or that are over six hours old', () => {
    expect(isLeaked(label(process.pid))).toBe(false);
    expect(isLeaked(label(deadPid()))).toBe(true);
    expect(isLeaked(label(process.pid, Date.now() - 7 * 3600_000))).toBe(true);
    expect(isLeaked(JSON.stringify({ host: 'elsewhere', pid: deadPid(), createdAt: Date.now() }))).toBe(
      false,
    );
    // Unlabelled or foreign comments are never taken for leftovers.
    expect(isLeaked(null)).toBe(false);
    expect(isLeaked('my own database')).toBe(false);
  });

  test.skipIf(!kinds.includes('postgres'))('are dropped by the sweep, and live ones are kept', async () => {
    const live = await openTestDb('postgres');
    const orphan = await openTestDb('postgres');
    const orphanName = new URL(orphan.url ?? '').pathname.slice(1);
    const liveName = new URL(live.url ?? '').pathname.slice(1);
    try {
      await withAdminClient(testPgUrl(), (client) =>
        client.query(`COMMENT ON DATABASE ${orphanName} IS ${client.escapeLiteral(label(deadPid()))}`),
      );
      const dropped = await dropLeakedTestDatabases(testPgUrl());
      expect(dropped).toContain(orphanName);
      expect(dropped).not.toContain(liveName);
      expect(await databaseExists(orphanName)).toBe(false);
      expect(await databaseExists(liveName)).toBe(true);
    } finally {
      await live.close();
      await orphan.close();
    }
  });
});
