import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { importFile, openPostgres, type Db } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { signIn } from '../sign-in.js';

const MINILOTO = fileURLToPath(
  new URL('../../../../packages/store/test/fixtures/miniloto.csv', import.meta.url),
);

// Relations every lab database has, and spellings of names that must never reach a lookup.
const LAB_AND_SYSTEM = [
  'nf_users',
  'nf_sessions',
  'nf_api_tokens',
  'nf_model_runs',
  'nf_audit_log',
  'nflab_schema_version',
  'pg_authid',
  'pg_settings',
  'pg_stat_activity',
  'pg_shadow',
];
const MALFORMED = [
  'information_schema.tables',
  'public.nf_users',
  'pg_catalog.pg_authid',
  '"nf_users"',
  '"public"."nf_users"',
  'NF_USERS',
  'Nf_Users',
  'NF_LOTO_FINAL',
];
const ROUTES = [
  (t: string) => `/api/data/tables/${t}/preview`,
  (t: string) => `/api/data/tables/${t}/games`,
  (t: string) => `/api/data/tables/${t}/games/x/series`,
  (t: string) => `/api/data/tables/${t}/panel?loto=x`,
  (t: string) => `/api/data/tables/${t}/profile?loto=x`,
  (t: string) => `/api/data/tables/${t}/drift?loto=x`,
];

describe.each(await testDbKinds())('data routes serve only data tables on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let get: (url: string) => Promise<LightMyRequestResponse>;
  let secrets: string[];

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: MINILOTO, game: 'miniloto' });
    app = await buildServer({ db });
    const viewer = await signIn(db, 'viewer');
    get = (url) => app.inject({ url, headers: { cookie: viewer.cookie } });
    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM nf_users');
    secrets = rows.map((row) => row.password_hash);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const expectRefused = (response: LightMyRequestResponse, name: string): void => {
    expect(
      response.statusCode,
      `${response.statusCode} for ${name}: ${response.body}`,
    ).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, name).toBeLessThan(500);
    const body = response.json();
    expect(body.rows, name).toBeUndefined();
    expect(body.series, name).toBeUndefined();
    for (const secret of secrets) expect(response.body).not.toContain(secret);
  };

  test('a viewer gets 404 for every lab table and system catalog, on every data route', async () => {
    for (const name of LAB_AND_SYSTEM) {
      for (const route of ROUTES) {
        const response = await get(route(name));
        expectRefused(response, name);
        expect(response.statusCode, `${route(name)}: ${response.body}`).toBe(404);
      }
    }
    const preview = await get('/api/data/tables/nf_users/preview');
    expect(preview.json().error.message).toContain('is not a data table');
  });

  test('quoted, schema-qualified and uppercase names are 400 naming the rule', async () => {
    for (const name of MALFORMED) {
      for (const route of ROUTES) {
        const response = await get(route(encodeURIComponent(name)));
        expectRefused(response, name);
        expect(response.statusCode, `${route(name)}: ${response.body}`).toBe(400);
      }
    }
    const qualified = await get(`/api/data/tables/${encodeURIComponent('public.nf_users')}/preview`);
    expect(qualified.json().error.message).toContain('schema-qualified');
  });

  test('a view in the data schema whose name matches the pattern is data, even over a lab table', async () => {
    // Documented decision (packages/store/src/sql/data-tables.ts): creating it takes database
    // rights a viewer does not have; the read-only data role is what bounds it.
    await db.exec('CREATE VIEW nf_loto_evil AS SELECT username AS loto FROM nf_users');
    const response = await get('/api/data/tables/nf_loto_evil/games');
    expect(response.statusCode).toBe(200);
    await db.exec('DROP VIEW nf_loto_evil');
  });

  test('the table list stays inside the data pattern; a malformed LIKE pattern is 400 on query.pattern', async () => {
    const all = (await get('/api/data/tables')).json();
    expect(all.tables).toEqual([{ name: 'nf_loto_final', kind: 'table' }]);
    for (const pattern of ['nf_%', '%', 'pg_%', '%users%']) {
      const listed = (await get(`/api/data/tables?pattern=${encodeURIComponent(pattern)}`)).json();
      for (const table of listed.tables) expect(table.name).toMatch(/^nf.loto/);
    }
    const bad = await get(`/api/data/tables?pattern=${encodeURIComponent('nf_loto\\')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('query.pattern');
    expect(bad.json().error.message).toContain('escape character');
  });

  test('without credentials every data route is 401, data table or not', async () => {
    for (const name of ['nf_loto_final', 'nf_users', 'pg_authid']) {
      for (const route of ROUTES) {
        const response = await app.inject({ url: route(name) });
        expect(response.statusCode, route(name)).toBe(401);
        expect(response.json().rows).toBeUndefined();
      }
    }
  });

  test('data tables still answer', async () => {
    expect((await get('/api/data/tables/nf_loto_final/games')).json().games).toEqual(['miniloto']);
    expect((await get('/api/data/tables/nf_loto_final/preview?limit=1')).json().rows).toHaveLength(1);
  });
});

// The read-only role exists only on a server: PGlite has one user.
describe.runIf((await testDbKinds()).includes('postgres'))('a read-only data role on postgres', () => {
  let db: TestDb;
  let reader: Db;
  let app: FastifyInstance;
  const role = `nflab_reader_${process.pid}`;

  beforeAll(async () => {
    db = await openTestDb('postgres', { migrate: true });
    await importFile(db, { file: MINILOTO, game: 'miniloto' });
    // The README's recipe: a login role with SELECT on the data tables and nothing else.
    await db.exec(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN;
                   GRANT SELECT ON nf_loto_final TO ${role};`);
    const url = new URL(db.url as string);
    url.username = role;
    reader = await openPostgres({ url: url.toString(), maxConnections: 2 });
    app = await buildServer({ db, dataDb: reader });
  });
  afterAll(async () => {
    await app.close();
    await reader.close();
    // A role is the cluster's: drop it while its grant's database still exists.
    await db.exec(`REVOKE ALL ON nf_loto_final FROM ${role}; DROP ROLE ${role}`);
    await db.close();
  });

  test('data routes read through the data role; the role cannot read lab tables', async () => {
    const viewer = await signIn(db, 'viewer');
    const games = await app.inject({
      url: '/api/data/tables/nf_loto_final/games',
      headers: { cookie: viewer.cookie },
    });
    expect(games.json().games).toEqual(['miniloto']);
    await expect(reader.query('SELECT * FROM nf_users')).rejects.toThrow(/permission denied/);
    // A data table the role was not granted is a 403 naming the grant, not a 500.
    await db.exec('CREATE TABLE nf_loto_ungranted AS SELECT * FROM nf_loto_final');
    const denied = await app.inject({
      url: '/api/data/tables/nf_loto_ungranted/preview',
      headers: { cookie: viewer.cookie },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toContain('GRANT SELECT');
  });
});
