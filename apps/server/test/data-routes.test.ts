import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DATA_ROUTES, HEALTH_ROUTES } from '@nflab/contracts';
import { importFile } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { signIn } from './sign-in.js';

const LOTO6 = new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;

describe.each(await testDbKinds())('data and health routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let get: (url: string) => Promise<LightMyRequestResponse>;

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db });
    const { cookie } = await signIn(db, 'viewer');
    get = (url) => app.inject({ url, headers: { cookie } });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test('health and readiness', async () => {
    expect((await app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    const ready = (await app.inject('/api/ready')).json();
    expect(ready).toEqual({ status: 'ready', database: kind, workers: 0 });
    expect(HEALTH_ROUTES.ready.response.parse(ready)).toEqual(ready);
  });

  test('tables → games → series → preview', async () => {
    const tables = (await get('/api/data/tables')).json();
    expect(tables.tables).toContainEqual({ name: 'nf_loto_final', kind: 'table' });
    expect((await get('/api/data/tables/nf_loto_final/games')).json().games).toEqual(['loto6']);
    const series = (await get('/api/data/tables/nf_loto_final/games/loto6/series')).json().series;
    expect(series).toHaveLength(7);
    expect(series[1]).toEqual({ uniqueId: 'N1', rows: 1498, start: '2000-10-05', end: '2020-07-09' });
    const preview = (await get('/api/data/tables/nf_loto_final/preview?loto=loto6&limit=2')).json();
    expect(preview.rows).toHaveLength(2);
    expect(preview.columns.slice(0, 5)).toEqual(['loto', 'num', 'ds', 'unique_id', 'y']);
  });

  test('every answer has the shape its route description gives (the web client is typed from it)', async () => {
    const answers = [
      [DATA_ROUTES.listTables, '/api/data/tables'],
      [DATA_ROUTES.listGames, '/api/data/tables/nf_loto_final/games'],
      [DATA_ROUTES.listSeries, '/api/data/tables/nf_loto_final/games/loto6/series'],
      [DATA_ROUTES.previewTable, '/api/data/tables/nf_loto_final/preview?loto=loto6&limit=3'],
    ] as const;
    for (const [route, url] of answers) {
      const answer = (await get(url)).json();
      const parsed = route.response.safeParse(answer);
      expect(parsed.error?.issues, url).toBeUndefined();
    }
  });

  test('invalid input is 400 with the field named; unknown names are 404; injection is refused', async () => {
    const tooMany = await get('/api/data/tables/nf_loto_final/preview?limit=5000');
    expect(tooMany.statusCode).toBe(400);
    const body = tooMany.json();
    expect(body.error.code).toBe('config');
    expect(body.error.issues[0].path).toBe('query.limit');
    const unknownGame = await get('/api/data/tables/nf_loto_final/games/loto7/series');
    expect(unknownGame.statusCode).toBe(404);
    expect(unknownGame.json().error.code).toBe('not_found');
    const unknownTable = await get('/api/data/tables/nf_loto_nope/games');
    expect(unknownTable.statusCode).toBe(404);
    const injection = await get(
      `/api/data/tables/${encodeURIComponent('x"; DROP TABLE nf_loto_final; --')}/games`,
    );
    expect(injection.statusCode).toBe(400);
    expect((await get('/api/data/tables/nf_loto_final/games')).statusCode).toBe(200);
  });
});
