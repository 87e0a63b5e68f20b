import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, GAMES } from '@nflab/contracts';
import { buildFeatures, CALENDAR_FUTR_COLUMNS, futureCalendar, importFile } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));

describe('futureCalendar', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('pglite');
    await importFile(db, { file: SAMPLE, game: 'loto6' });
    await buildFeatures(db, { table: 'nf_loto_final' });
  });
  afterAll(async () => {
    await db.close();
  });

  /** The real draws after `lastDs` as the feature view has them (one row per draw, N1). */
  const realNext = async (lastDs: string, count: number) =>
    (
      await db.query<Record<string, unknown>>(
        `SELECT ds::text AS ds, ${CALENDAR_FUTR_COLUMNS.join(', ')} FROM nf_loto_final_features
         WHERE loto = 'loto6' AND unique_id = 'N1' AND ds > $1::date ORDER BY ds LIMIT $2`,
        [lastDs, count],
      )
    ).rows;

  // Cut points across schedules (Thursday only; Monday and Thursday), a holiday draw (2015-07-20,
  // Marine Day) and a New Year break (no draw from 12/31 to 1/3).
  test.each(['2005-06-02', '2015-07-13', '2018-12-27', '2020-03-12'])(
    'gives the next draws after %s with the values the feature view computes for them',
    async (lastDs) => {
      const count = 6;
      const expected = await realNext(lastDs, count);
      const computed = futureCalendar({ game: GAMES.loto6, lastDs, count, columns: CALENDAR_FUTR_COLUMNS });
      expect(computed.ds).toEqual(expected.map((r) => r.ds));
      for (const column of CALENDAR_FUTR_COLUMNS) {
        expect([column, computed.values[column]]).toEqual([column, expected.map((r) => Number(r[column]))]);
      }
    },
  );

  test('refuses a column that is not a calendar feature, naming it', () => {
    expect(() =>
      futureCalendar({
        game: GAMES.loto6,
        lastDs: '2020-03-12',
        count: 2,
        columns: ['futr_month', 'futr_jackpot'],
      }),
    ).toThrow(ConfigError);
    expect(() =>
      futureCalendar({ game: GAMES.loto6, lastDs: '2020-03-12', count: 2, columns: ['futr_jackpot'] }),
    ).toThrow(/futr_jackpot/);
  });
});
