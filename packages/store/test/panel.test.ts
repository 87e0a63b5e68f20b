import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { importFile, loadPanel, parseJoinedNumbers, roleOf } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));

describe('panel helpers', () => {
  test('roles come from prefixes unless mapped', () => {
    expect(roleOf('hist_mean')).toBe('hist');
    expect(roleOf('futr_holiday')).toBe('futr');
    expect(roleOf('stat_size')).toBe('stat');
    expect(roleOf('co')).toBe('other');
    expect(roleOf('co', { co: 'hist' })).toBe('hist');
    expect(roleOf('hist_x', { hist_x: 'futr' })).toBe('futr');
  });

  test('joined numbers parse integers, decimals, signs, NULL and long values exactly', () => {
    const parsed = parseJoinedNumbers('1,,-2.5,1e+20,NaN,1234567890123456789,0', 7);
    expect(Array.from(parsed)).toEqual([
      1,
      Number.NaN,
      -2.5,
      1e20,
      Number.NaN,
      Number('1234567890123456789'),
      0,
    ]);
    expect(Array.from(parseJoinedNumbers(null, 2))).toEqual([Number.NaN, Number.NaN]);
  });
});

describe.each(await testDbKinds())('loadPanel on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
    await importFile(db, { file: SAMPLE, game: 'loto6' });
    await db.exec(`
      CREATE TABLE nf_loto_exog (
        loto TEXT, unique_id TEXT, ds DATE, y DOUBLE PRECISION,
        hist_mean DOUBLE PRECISION, futr_holiday BOOLEAN, stat_size INTEGER, note TEXT, co BIGINT);
      INSERT INTO nf_loto_exog VALUES
        ('g', 'b', '2020-01-02', 2.5, NULL, true, 7, 'x,y', 100),
        ('g', 'a', '2020-01-09', NULL, 0.5, false, NULL, NULL, 200),
        ('g', 'a', '2020-01-02', 1, -1.25, true, 3, 'first', 300),
        ('g', 'b', '2020-01-09', 4, 2, false, 7, '"q"', 400);
      CREATE TABLE nf_loto_bad (loto TEXT, unique_id TEXT, ds DATE, y INT, hist_text TEXT);
      INSERT INTO nf_loto_bad VALUES ('g', 'a', '2020-01-01', 1, 'up');
      CREATE TABLE nf_loto_noy (loto TEXT, unique_id TEXT, ds DATE, value INT);
      CREATE TABLE nf_loto_nods (loto TEXT, unique_id TEXT, ds DATE, y INT);
      INSERT INTO nf_loto_nods VALUES ('g', 'a', '1969-12-31', 1), ('g', 'a', NULL, 2);
      CREATE VIEW nf_loto_view AS SELECT * FROM nf_loto_exog;`);
  });
  afterAll(async () => {
    await db.close();
  });

  test('the whole LOTO6 panel: 7 series × 1,498 draws sorted by unique_id, ds; prize columns in other', async () => {
    const panel = await loadPanel(db, { table: 'nf_loto_final', loto: 'loto6' });
    expect(panel.series.map((s) => [s.uniqueId, s.start, s.length])).toEqual(
      ['B1', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6'].map((id, i) => [id, i * 1498, 1498]),
    );
    expect(panel.uniqueId).toHaveLength(10486);
    expect(panel.y).toHaveLength(10486);
    expect(panel.uniqueId[1497]).toBe('B1');
    expect(panel.uniqueId[1498]).toBe('N1');
    expect(panel.ds[1498]).toBe('2000-10-05');
    expect(panel.ds[1498 + 1497]).toBe('2020-07-09');
    // Draw 1: B1 = 39, N1..N6 = 2, 8, 10, 13, 27, 30.
    expect(panel.series.map((s) => panel.y[s.start])).toEqual([39, 2, 8, 10, 13, 27, 30]);
    expect(Object.keys(panel.hist)).toEqual([]);
    expect(Object.keys(panel.futr)).toEqual([]);
    expect(panel.stat.columns).toEqual({});
    expect(Object.keys(panel.other)).toEqual([
      'num',
      'co',
      'n1nu',
      'n1pm',
      'n2nu',
      'n2pm',
      'n3nu',
      'n3pm',
      'n4nu',
      'n4pm',
      'n5nu',
      'n5pm',
      'n6nu',
      'n6pm',
      'n7nu',
      'n7pm',
    ]);
    expect(panel.other.n1pm?.[0]).toBe(45513600);
    expect(Number.isNaN(panel.other.n6nu?.[0])).toBe(true);
  });

  test('uniqueIds, columns and exogenousMap pick series and move columns into model roles', async () => {
    const panel = await loadPanel(db, {
      table: 'nf_loto_final',
      loto: 'loto6',
      uniqueIds: ['N2', 'B1'],
      columns: ['num'],
      exogenousMap: { co: 'hist', n1pm: 'futr', n5pm: 'stat' },
    });
    expect(panel.series.map((s) => s.uniqueId)).toEqual(['B1', 'N2']);
    expect(panel.y).toHaveLength(2 * 1498);
    expect(panel.y[1498]).toBe(8);
    expect(Object.keys(panel.other)).toEqual(['num']);
    expect(panel.hist.co?.[1]).toBe(102580607);
    expect(panel.futr.n1pm?.[0]).toBe(45513600);
    expect(Array.from(panel.stat.columns.n5pm ?? [])).toEqual([1000, 1000]);
    expect(panel.stat.uniqueId).toEqual(['B1', 'N2']);
  });

  test('exogenous columns split by prefix; NULL is NaN; booleans 0/1; text stays in other', async () => {
    for (const table of ['nf_loto_exog', 'nf_loto_view']) {
      const panel = await loadPanel(db, { table, loto: 'g' });
      expect(panel.uniqueId).toEqual(['a', 'a', 'b', 'b']);
      expect(panel.ds).toEqual(['2020-01-02', '2020-01-09', '2020-01-02', '2020-01-09']);
      expect(Array.from(panel.y)).toEqual([1, Number.NaN, 2.5, 4]);
      expect(Array.from(panel.hist.hist_mean ?? [])).toEqual([-1.25, 0.5, Number.NaN, 2]);
      expect(Array.from(panel.futr.futr_holiday ?? [])).toEqual([1, 0, 1, 0]);
      expect(panel.stat).toEqual({ uniqueId: ['a', 'b'], columns: { stat_size: Float64Array.from([3, 7]) } });
      expect(panel.other.note).toEqual(['first', null, 'x,y', '"q"']);
      expect(Array.from(panel.other.co as Float64Array)).toEqual([300, 200, 100, 400]);
    }
  });

  test('error cases name the table and column', async () => {
    await expect(loadPanel(db, { table: 'nf_missing', loto: 'loto6' })).rejects.toThrow(NotFoundError);
    await expect(loadPanel(db, { table: 'nf_loto_final', loto: 'loto9' })).rejects.toThrow(
      'table "nf_loto_final" has no rows for loto "loto9"',
    );
    await expect(
      loadPanel(db, { table: 'nf_loto_final', loto: 'loto6', uniqueIds: ['N1', 'N9'] }),
    ).rejects.toThrow('table "nf_loto_final" has no series "N9" for loto "loto6"');
    await expect(loadPanel(db, { table: 'nf_loto_bad', loto: 'g' })).rejects.toThrow(
      'hist exogenous column hist_text of table "nf_loto_bad" is text, not a number',
    );
    await expect(
      loadPanel(db, { table: 'nf_loto_exog', loto: 'g', exogenousMap: { note: 'hist' } }),
    ).rejects.toThrow(/column note .* is text, not a number/);
    await expect(loadPanel(db, { table: 'nf_loto_noy', loto: 'g' })).rejects.toThrow(
      'table "nf_loto_noy" has no column "y"',
    );
    await expect(loadPanel(db, { table: 'nf_loto_nods', loto: 'g' })).rejects.toThrow(
      'table "nf_loto_nods" has rows with a NULL ds',
    );
    await db.exec("UPDATE nf_loto_nods SET ds = '1900-03-01' WHERE ds IS NULL");
    expect((await loadPanel(db, { table: 'nf_loto_nods', loto: 'g' })).ds).toEqual([
      '1900-03-01',
      '1969-12-31',
    ]);
    await expect(
      loadPanel(db, { table: 'nf_loto_exog', loto: 'g', columns: ['missing_col'] }),
    ).rejects.toThrow(/has no column "missing_col"/);
    await expect(
      loadPanel(db, { table: 'nf_loto_exog', loto: 'g', exogenousMap: { y: 'hist' } }),
    ).rejects.toThrow(ConfigError);
    await expect(
      loadPanel(db, { table: 'nf_loto_exog', loto: 'g', exogenousMap: { co: 'past' as 'hist' } }),
    ).rejects.toThrow('exogenousMap.co = "past" is not a role; use one of futr, hist, stat');
  });

  test('hostile table and column names are rejected before any SQL runs', async () => {
    await expect(loadPanel(db, { table: 'nf_loto; DROP TABLE nf_loto_exog', loto: 'g' })).rejects.toThrow(
      ConfigError,
    );
    await expect(loadPanel(db, { table: '"nf_loto_exog"', loto: 'g' })).rejects.toThrow(ConfigError);
    await expect(loadPanel(db, { table: 'nf_lоto_exog', loto: 'g' })).rejects.toThrow(ConfigError);
    await expect(
      loadPanel(db, { table: 'nf_loto_exog', loto: 'g', columns: ['y); DROP TABLE nf_loto_exog; --'] }),
    ).rejects.toThrow(ConfigError);
    await expect(
      loadPanel(db, { table: 'nf_loto_exog', loto: 'g', exogenousMap: { 'co"': 'hist' } }),
    ).rejects.toThrow(ConfigError);
    expect(
      await loadPanel(db, { table: 'nf_loto_exog', loto: "g' OR '1'='1" }).catch((e: unknown) => e),
    ).toBeInstanceOf(NotFoundError);
    expect((await loadPanel(db, { table: 'nf_loto_exog', loto: 'g' })).y).toHaveLength(4);
  });
});
