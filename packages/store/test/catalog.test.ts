import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { importFile, listGames, listSeries, listTables, previewRows } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe.each(await testDbKinds())('catalog on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
    await importFile(db, { file: fixture('loto7.csv'), game: 'loto7' });
    await importFile(db, { file: fixture('miniloto.csv'), game: 'miniloto' });
    await db.exec(`CREATE VIEW nf_loto_recent AS SELECT * FROM nf_loto_final WHERE num > 1;
                   CREATE TABLE other_table (x INT); CREATE TABLE nf_loto_plain (x INT)`);
  });
  afterAll(async () => {
    await db.close();
  });

  test('listTables finds data tables and views by LIKE pattern, never outside the data pattern', async () => {
    expect(await listTables(db)).toEqual([
      { name: 'nf_loto_final', kind: 'table' },
      { name: 'nf_loto_plain', kind: 'table' },
      { name: 'nf_loto_recent', kind: 'view' },
    ]);
    expect(await listTables(db, { pattern: '%recent' })).toEqual([{ name: 'nf_loto_recent', kind: 'view' }]);
    // Outside the data pattern (nf_loto%), a user pattern finds nothing, even where a table matches it.
    expect(await listTables(db, { pattern: 'other%' })).toEqual([]);
    expect(await listTables(db, { pattern: "x'; DROP TABLE other_table; --" })).toEqual([]);
    expect(await listTables(db, { pattern: '%', scope: { schema: 'public', pattern: 'other%' } })).toEqual([
      { name: 'other_table', kind: 'table' },
    ]);
  });

  test('listGames lists distinct loto values; views work too', async () => {
    expect(await listGames(db, 'nf_loto_final')).toEqual(['loto7', 'miniloto']);
    expect(await listGames(db, 'nf_loto_recent')).toEqual(['loto7', 'miniloto']);
  });

  test('listSeries gives each unique_id with row count and date range', async () => {
    const series = await listSeries(db, 'nf_loto_final', 'loto7');
    expect(series.map((s) => s.uniqueId)).toEqual(['B1', 'B2', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7']);
    expect(series[0]).toEqual({ uniqueId: 'B1', rows: 3, start: '2013-04-05', end: '2013-04-19' });
    await expect(listSeries(db, 'nf_loto_final', 'bingo5')).rejects.toThrow(NotFoundError);
  });

  test('previewRows returns ordered rows of one game and every column name', async () => {
    const preview = await previewRows(db, { table: 'nf_loto_final', loto: 'miniloto', limit: 3 });
    expect(preview.columns.slice(0, 6)).toEqual(['loto', 'num', 'ds', 'unique_id', 'y', 'co']);
    expect(preview.rows.map((r) => [r.unique_id, r.ds, r.y])).toEqual([
      ['B1', '1999-04-06', 1],
      ['B1', '1999-04-13', 29],
      ['N1', '1999-04-06', 3],
    ]);
    expect((await previewRows(db, { table: 'nf_loto_final' })).rows).toHaveLength(20);
    await expect(previewRows(db, { table: 'nf_loto_final', loto: 'numbers3' })).rejects.toThrow(
      NotFoundError,
    );
    await expect(previewRows(db, { table: 'nf_loto_final', limit: 0 })).rejects.toThrow(ConfigError);
    await expect(previewRows(db, { table: 'nf_loto_final', limit: 5000 })).rejects.toThrow(/1 to 1000/);
  });

  test('unknown tables are NotFound; tables without the needed columns and hostile names are ConfigErrors', async () => {
    await expect(listGames(db, 'nf_missing')).rejects.toThrow(NotFoundError);
    await expect(listGames(db, 'nf_loto_plain')).rejects.toThrow(
      'table "nf_loto_plain" has no column "loto"',
    );
    await expect(listGames(db, 'other_table')).rejects.toThrow('table "other_table" is not a data table');
    await expect(listSeries(db, 'nf_loto; DROP TABLE other_table', 'loto7')).rejects.toThrow(ConfigError);
    await expect(previewRows(db, { table: '"other_table"' })).rejects.toThrow(ConfigError);
    expect(
      await listTables(db, { pattern: '%', scope: { schema: 'public', pattern: 'other%' } }),
    ).toHaveLength(1);
  });
});
