import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { StoreError } from '@nflab/contracts';
import {
  loadMigrations,
  migrate,
  migrationChecksum,
  migrationStatus,
  openPostgres,
  type Migration,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const kinds = await testDbKinds();

const fixture = (version: number, name: string, sql: string): Migration => ({
  version,
  name,
  sql,
  checksum: migrationChecksum(sql),
});

const FIXTURES = [
  fixture(1, 'create_a', 'CREATE TABLE fx_a (id int PRIMARY KEY);'),
  fixture(2, 'create_b', 'CREATE TABLE fx_b (id int PRIMARY KEY REFERENCES fx_a (id));'),
  fixture(3, 'seed_a', 'INSERT INTO fx_a VALUES (1), (2);'),
];

// Everything a migration defines, as comparable text: columns, constraints, indexes, triggers, functions.
const SCHEMA_SHAPE = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || udt_name || ' ' || is_nullable
         || ' ' || coalesce(column_default, '-') AS item
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
  UNION ALL
  SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 'trigger ' || tgrelid::regclass::text || ' ' || pg_get_triggerdef(oid)
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'function ' || proname || ' ' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  ORDER BY 1`;

const schemaShape = async (db: TestDb): Promise<string[]> =>
  (await db.query<{ item: string }>(SCHEMA_SHAPE)).rows.map((row) => row.item);

const shapes = new Map<string, string[]>();

const tableExists = async (db: TestDb, table: string): Promise<boolean> => {
  const { rows } = await db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    table,
  ]);
  return rows[0]?.exists === true;
};

describe('migration files', () => {
  test('the committed migrations load in ascending, gap-free order starting at 1', async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
    for (const migration of migrations) {
      expect(migration.name).toMatch(/^[a-z0-9_]+$/);
      expect(migration.checksum).toBe(migrationChecksum(migration.sql));
      // The runner owns the transaction; a COMMIT inside a file would split it. (A PL/pgSQL body's
      // BEGIN has no semicolon, so it does not match.)
      expect(migration.sql).not.toMatch(
        /^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)(\s+(WORK|TRANSACTION))?\s*;/im,
      );
    }
  });

  test('checksums ignore CRLF line endings and change with the content', () => {
    expect(migrationChecksum('SELECT 1;\r\nSELECT 2;\r\n')).toBe(migrationChecksum('SELECT 1;\nSELECT 2;\n'));
    expect(migrationChecksum('SELECT 1;')).not.toBe(migrationChecksum('SELECT 2;'));
  });

  test('badly named files and duplicate versions are StoreErrors naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nflab-migrations-'));
    const url = pathToFileURL(`${dir}/`);
    try {
      await writeFile(join(dir, '0001_ok.sql'), 'SELECT 1;');
      await writeFile(join(dir, 'notes.txt'), 'ignored: not SQL');
      expect((await loadMigrations(url)).map((migration) => migration.name)).toEqual(['ok']);
      await writeFile(join(dir, '0001_again.sql'), 'SELECT 1;');
      await expect(loadMigrations(url)).rejects.toThrow(/0001 is used twice/);
      await rm(join(dir, '0001_again.sql'));
      await writeFile(join(dir, '2_Bad-Name.sql'), 'SELECT 1;');
      const error = await loadMigrations(url).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toContain('2_Bad-Name.sql');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.each(kinds)('migrate on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });
  // One database per kind, emptied between tests: opening a PGlite costs seconds, a schema reset ms.
  beforeEach(async () => {
    await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  });

  test('applies every migration in order from empty, then nothing on a second run', async () => {
    const before = await migrationStatus(db, { migrations: FIXTURES });
    expect(before).toEqual({
      applied: [],
      pending: FIXTURES.map(({ sql: _, ...rest }) => rest),
      currentVersion: null,
    });

    const applied = await migrate(db, { migrations: FIXTURES });
    expect(applied.map(({ version, name, checksum }) => ({ version, name, checksum }))).toEqual(
      FIXTURES.map(({ sql: _, ...rest }) => rest),
    );
    for (const record of applied) expect(record.appliedAt).toBeInstanceOf(Date);
    expect((await db.query('SELECT id FROM fx_a ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);

    expect(await migrate(db, { migrations: FIXTURES })).toEqual([]);
    const status = await migrationStatus(db, { migrations: FIXTURES });
    expect(status.pending).toEqual([]);
    expect(status.currentVersion).toBe(3);
    expect(status.applied.map(({ version, name, issue }) => ({ version, name, issue }))).toEqual([
      { version: 1, name: 'create_a', issue: null },
      { version: 2, name: 'create_b', issue: null },
      { version: 3, name: 'seed_a', issue: null },
    ]);
    expect(status.applied.map((record) => record.appliedAt.getTime())).toEqual(
      applied.map((record) => record.appliedAt.getTime()),
    );
  });

  test('upgrades a database made by an earlier version with only the missing migrations', async () => {
    await migrate(db, { migrations: FIXTURES.slice(0, 2) });
    const status = await migrationStatus(db, { migrations: FIXTURES });
    expect(status.currentVersion).toBe(2);
    expect(status.pending.map((migration) => migration.version)).toEqual([3]);
    expect((await migrate(db, { migrations: FIXTURES })).map((migration) => migration.version)).toEqual([3]);
  });

  test('an edited applied migration is a StoreError naming it, and nothing further is applied', async () => {
    await migrate(db, { migrations: FIXTURES.slice(0, 2) });
    const edited = [
      fixture(1, 'create_a', 'CREATE TABLE fx_a (id bigint PRIMARY KEY);'),
      ...FIXTURES.slice(1),
    ];
    const error = await migrate(db, { migrations: edited }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('0001_create_a');
    expect((error as Error).message).toContain(FIXTURES[0]?.checksum);
    const status = await migrationStatus(db, { migrations: edited });
    expect(status.applied.map((record) => record.issue)).toEqual(['checksum_mismatch', null]);
    expect(status.pending.map((migration) => migration.version)).toEqual([3]);
  });

  test('a database newer than the code is refused, naming the unknown migration', async () => {
    await migrate(db, { migrations: FIXTURES });
    await expect(migrate(db, { migrations: FIXTURES.slice(0, 2) })).rejects.toThrow(
      /0003_seed_a.*does not know/,
    );
    const status = await migrationStatus(db, { migrations: FIXTURES.slice(0, 2) });
    expect(status.applied.map((record) => record.issue)).toEqual([null, null, 'unknown_to_code']);
  });

  test('a failing migration is rolled back whole, named, and leaves earlier ones applied', async () => {
    const broken = fixture(2, 'half_done', 'CREATE TABLE fx_half (id int); SELECT * FROM fx_missing;');
    const error = await migrate(db, { migrations: [FIXTURES[0] as Migration, broken] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/0002_half_done failed: .*fx_missing/);
    expect(await tableExists(db, 'fx_half')).toBe(false);
    expect(await tableExists(db, 'fx_a')).toBe(true);
    const status = await migrationStatus(db, { migrations: [FIXTURES[0] as Migration, broken] });
    expect(status.currentVersion).toBe(1);
    expect(status.pending.map((migration) => migration.name)).toEqual(['half_done']);
  });

  test('upgrading from every earlier committed schema ends in the same schema as migrating from empty', async () => {
    const committed = await loadMigrations();
    await migrate(db, { migrations: committed });
    const fromEmpty = await schemaShape(db);
    expect(fromEmpty.filter((item) => item.startsWith('column nf_model_runs.')).length).toBeGreaterThan(30);
    shapes.set(kind, fromEmpty);
    for (let applied = 1; applied < committed.length; applied += 1) {
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await migrate(db, { migrations: committed.slice(0, applied) });
      const rest = await migrate(db, { migrations: committed });
      expect(rest.map((record) => record.version)).toEqual(committed.slice(applied).map((m) => m.version));
      expect(await schemaShape(db)).toEqual(fromEmpty);
    }
  });

  test('concurrent migrate calls on one handle apply each migration once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrate(db, { migrations: FIXTURES })));
    const versions = results.flat().map((record) => record.version);
    expect(versions.sort()).toEqual([1, 2, 3]);
  });
});

describe.skipIf(kinds.length < 2)('PGlite and the server', () => {
  test('end with exactly the same schema', () => {
    expect(shapes.get('pglite')).toBeDefined();
    expect(shapes.get('postgres')).toEqual(shapes.get('pglite'));
  });
});

describe.skipIf(!kinds.includes('postgres'))('migrate on a server from several connections', () => {
  test('each committed migration is applied exactly once', async () => {
    const owner = await openTestDb('postgres');
    const url = owner.url ?? '';
    // Separate pools = separate sessions, as separate `nflab` processes would have.
    const pools = await Promise.all([1, 2, 3].map(() => openPostgres({ url, maxConnections: 2 })));
    try {
      const expected = await loadMigrations();
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      const versions = results.flat().map((record) => record.version);
      expect(versions.sort((a, b) => a - b)).toEqual(expected.map((migration) => migration.version));
      const { rows } = await owner.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM nflab_schema_version',
      );
      expect(rows[0]?.n).toBe(expected.length);
      expect((await migrationStatus(owner)).pending).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
      await owner.close();
    }
  });
});
