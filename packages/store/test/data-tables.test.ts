import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, InputError, NotFoundError } from '@nflab/contracts';
import {
  buildFeatures,
  dataScopeFromEnv,
  importFile,
  LAB_TABLES,
  likeMatches,
  listGames,
  listSeries,
  listTables,
  loadPanel,
  previewRows,
  requireDataTable,
  resolveDataScope,
  TABLES,
  validateLikePattern,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// Relations that exist in every migrated lab database and must never read as data.
const FORBIDDEN = [
  'nf_users',
  'nf_sessions',
  'nf_api_tokens',
  'nf_model_runs',
  'nf_audit_log',
  'nflab_schema_version',
  'nflab_jp_holidays',
  'pg_authid',
  'pg_settings',
  'pg_stat_activity',
  'pg_class',
  'pg_shadow',
];

// Names that are not plain identifiers: a ConfigError before any lookup.
const MALFORMED = [
  'public.nf_users',
  'information_schema.tables',
  'pg_catalog.pg_authid',
  '"nf_users"',
  '"public"."nf_loto_final"',
  'NF_USERS',
  'Nf_loto_final',
  'nf_loto_final;',
  '',
];

describe('LIKE patterns', () => {
  test('likeMatches agrees with PostgreSQL on wildcards, escapes and literal characters', () => {
    expect(likeMatches('nf_loto%', 'nf_loto_final')).toBe(true);
    expect(likeMatches('nf_loto%', 'nfxloto')).toBe(true); // `_` is any one character, as in SQL
    expect(likeMatches('nf\\_loto%', 'nfxloto')).toBe(false);
    expect(likeMatches('nf_loto%', 'nf_users')).toBe(false);
    expect(likeMatches('nf_loto%', 'xnf_loto')).toBe(false);
    expect(likeMatches('a.c', 'abc')).toBe(false);
    expect(likeMatches('a\\%', 'a%')).toBe(true);
  });

  test('a pattern ending in the escape character, empty, too long or with control characters is an InputError naming the field', () => {
    for (const bad of ['nf\\', 'nf_loto\\\\\\', '', 'x'.repeat(201), 'nf\u0000%']) {
      let error: unknown;
      try {
        validateLikePattern(bad, 'query.pattern');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0]?.path).toBe('query.pattern');
    }
    expect(validateLikePattern('nf\\\\', 'pattern')).toBe('nf\\\\');
  });

  test('the data scope comes from NFLAB_DATA_SCHEMA and NFLAB_DATA_TABLES and refuses system schemas', () => {
    expect(dataScopeFromEnv({})).toEqual({ schema: 'public', pattern: 'nf_loto%' });
    expect(dataScopeFromEnv({ NFLAB_DATA_SCHEMA: 'loto', NFLAB_DATA_TABLES: 'draws%' })).toEqual({
      schema: 'loto',
      pattern: 'draws%',
    });
    for (const schema of ['pg_catalog', 'information_schema', 'pg_toast', 'Public', 'a.b']) {
      expect(() => dataScopeFromEnv({ NFLAB_DATA_SCHEMA: schema })).toThrow(/NFLAB_DATA_SCHEMA/);
    }
    expect(() => dataScopeFromEnv({ NFLAB_DATA_TABLES: 'nf\\' })).toThrow(/NFLAB_DATA_TABLES/);
  });

  test('every table the migrations create is a lab table', () => {
    for (const name of Object.keys(TABLES)) expect(LAB_TABLES.has(name)).toBe(true);
  });
});

describe.each(await testDbKinds())('data confinement on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: fixture('miniloto.csv'), game: 'miniloto' });
    await db.exec(`
      INSERT INTO nf_users (username, password_hash, role) VALUES ('alice', 'scrypt$secret-hash', 'admin');
      CREATE SCHEMA shadow;
      CREATE TABLE shadow.nf_loto_final (loto TEXT, num INT, ds DATE, unique_id TEXT, y INT);
      INSERT INTO shadow.nf_loto_final VALUES ('shadow', 1, '2020-01-01', 'N1', 99);
      CREATE VIEW nf_loto_evil AS SELECT username AS loto, password_hash AS unique_id FROM nf_users;`);
  });
  afterAll(async () => {
    await db.close();
  });

  test('lab tables and system catalogs are not data, whatever the pattern', async () => {
    const everything = { schema: 'public', pattern: '%' };
    for (const name of FORBIDDEN) {
      for (const scope of [undefined, everything]) {
        await expect(previewRows(db, { table: name, scope })).rejects.toThrow(NotFoundError);
        await expect(listGames(db, name, scope)).rejects.toThrow(NotFoundError);
        await expect(listSeries(db, name, 'x', scope)).rejects.toThrow(NotFoundError);
        await expect(loadPanel(db, { table: name, loto: 'x', scope })).rejects.toThrow(NotFoundError);
      }
    }
    const listed = (await listTables(db, { scope: everything })).map((table) => table.name);
    expect(listed).toContain('nf_loto_final');
    for (const name of LAB_TABLES) expect(listed).not.toContain(name);
    expect(listed.some((name) => name.startsWith('pg_'))).toBe(false);
  });

  test('quoted, schema-qualified and uppercase names are ConfigErrors', async () => {
    for (const name of MALFORMED) {
      await expect(previewRows(db, { table: name })).rejects.toThrow(ConfigError);
      await expect(loadPanel(db, { table: name, loto: 'x' })).rejects.toThrow(ConfigError);
    }
    await expect(previewRows(db, { table: 'public.nf_users' })).rejects.toThrow(/schema-qualified/);
  });

  test('names resolve in the data schema, not through search_path (nor a temporary table)', async () => {
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL search_path = shadow, public;
                     CREATE TEMP TABLE nf_loto_tmp (loto TEXT) ON COMMIT DROP;`);
      const games = await listGames(tx, 'nf_loto_final');
      expect(games).toEqual(['miniloto']);
      const preview = await previewRows(tx, { table: 'nf_loto_final', limit: 1 });
      expect(preview.rows[0]?.loto).toBe('miniloto');
      await expect(previewRows(tx, { table: 'nf_loto_tmp' })).rejects.toThrow(NotFoundError);
    });
    const shadow = { schema: 'shadow', pattern: 'nf_loto%' };
    expect(await listGames(db, 'nf_loto_final', shadow)).toEqual(['shadow']);
    expect(await listTables(db, { scope: shadow })).toEqual([{ name: 'nf_loto_final', kind: 'table' }]);
    expect((await requireDataTable(db, 'nf_loto_final', shadow)).schema).toBe('shadow');
  });

  test('a view a database user creates in the data schema under a matching name is data', async () => {
    // Documented decision: only someone who can already create objects in the lab's database can
    // make one; the read-only data role (README, Security) is what limits such a view's reach.
    expect(await listGames(db, 'nf_loto_evil')).toEqual(['alice']);
  });

  test('the importer and the feature builder write only data tables', async () => {
    for (const table of ['nf_users', 'nf_model_runs', 'pg_authid']) {
      await expect(
        importFile(db, { file: fixture('miniloto.csv'), game: 'miniloto', table }),
      ).rejects.toThrow(NotFoundError);
      await expect(buildFeatures(db, { table })).rejects.toThrow(NotFoundError);
    }
    await expect(buildFeatures(db, { table: 'nf_loto_final', view: 'nf_users' })).rejects.toThrow(
      ConfigError,
    );
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nf_users');
    expect(rows[0]?.n).toBe(1);
  });

  test('listTables with a malformed user pattern is an InputError on `pattern`', async () => {
    await expect(listTables(db, { pattern: 'nf_loto\\' })).rejects.toThrow(InputError);
    await expect(listTables(db, { pattern: 'nf_loto\\' })).rejects.toThrow(/pattern/);
  });

  test('resolveDataScope refuses a system schema given in code', () => {
    expect(() => resolveDataScope({ schema: 'pg_catalog' })).toThrow(ConfigError);
  });
});
