import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GAMES } from '@nflab/contracts';
import { drawProblems, importFile, parseDrawsCsv, RejectedRowsError } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const HEADER =
  '開催回,日付,第1数字,第2数字,第3数字,第4数字,第5数字,第6数字,BONUS数字,1等口数,2等口数,3等口数,4等口数,5等口数,' +
  '1等賞金,2等賞金,3等賞金,4等賞金,5等賞金,キャリーオーバー';
const PRIZES = '2,2,262,12413,174452,45513600,40961900,375200,6900,1000,0';
// Draw `num` on `date` with fixed numbers and prizes; fields after the date may be replaced.
const line = (num: number | string, date: string, rest = `2,8,10,13,27,30,39,${PRIZES}`): string =>
  `${num},${date},${rest}`;
const parse = (...lines: string[]) => parseDrawsCsv([HEADER, ...lines].join('\n'), 'loto6');

describe('draw numbers and dates increase together within a file', () => {
  test('an equal or earlier date on a later draw rejects that line, naming both draws', () => {
    const parsed = parse(
      line(1, '2000/10/5'),
      line(2, '2000/10/5'),
      line(3, '2000/10/4'),
      line(4, '2000/10/19'),
    );
    expect(parsed.draws.map((draw) => draw.num)).toEqual([1, 4]);
    expect(parsed.rejected).toEqual([
      {
        line: 3,
        reason:
          'draw 2 dated 2000-10-05 is not after draw 1 dated 2000-10-05 (line 2); draw numbers and dates must increase together',
      },
      {
        line: 4,
        reason:
          'draw 3 dated 2000-10-04 is not after draw 1 dated 2000-10-05 (line 2); draw numbers and dates must increase together',
      },
    ]);
  });

  test('lines in any order are fine when numbers and dates agree', () => {
    const parsed = parse(line(3, '2000/10/19'), line(1, '2000/10/5'), line(2, '2000/10/12'));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.draws.map((draw) => draw.num)).toEqual([3, 1, 2]);
    expect(parsed.lines).toEqual([2, 3, 4]);
  });
});

describe('numbers with thousands separators, per column', () => {
  test('counts and yen read grouped thousands; winning numbers never take a separator', () => {
    const ok = parse(
      line(
        '"1,234"',
        '2000/10/5',
        `2,8,10,13,27,30,39,"2","1,002",262,12413,174452,"1,234,567",40961900,375200,6900,"1,000円","0"`,
      ),
    );
    expect(ok.rejected).toEqual([]);
    const draw = ok.draws[0]!;
    expect(draw.num).toBe(1234);
    expect(draw.tiers[0]).toEqual({ winners: 2, prize: 1_234_567 });
    expect(draw.tiers[1]?.winners).toBe(1002);
    expect(draw.tiers[4]?.prize).toBe(1000);
  });

  test('ambiguous or misplaced separators and oversized values reject the line, naming the column', () => {
    const bad = parse(
      line(1, '2000/10/5', `2,8,10,13,27,"4,3",39,${PRIZES}`),
      line(2, '2000/10/12', `2,8,10,13,27,30,39,2,2,262,12413,174452,"4,3",40961900,375200,6900,1000,0`),
      line(3, '2000/10/19', `2,8,10,13,27,30,39,2,2,262,12413,174452,"1,23,456",40961900,375200,6900,1000,0`),
      line(
        4,
        '2000/10/26',
        `2,8,10,13,27,30,39,99999999999,2,262,12413,174452,1,40961900,375200,6900,1000,0`,
      ),
      line(
        5,
        '2000/11/2',
        `2,8,10,13,27,30,39,2,2,262,12413,174452,1,40961900,375200,6900,1000,${'9'.repeat(30)}`,
      ),
      line('"4,3"', '2000/11/9'),
      line(99999999999, '2000/11/16'),
      line(8, '2000/11/23', `2,8,10,13,27,"3 0",39,${PRIZES}`),
    );
    expect(bad.draws).toEqual([]);
    const reasons = Object.fromEntries(bad.rejected.map((r) => [r.line, r.reason]));
    expect(reasons[2]).toBe(
      'N6 "4,3" is ambiguous: a winning number has no separators (two numbers in one field?)',
    );
    expect(reasons[3]).toBe(
      'tier 1 prize "4,3" has misplaced thousands separators: write 1234567 or 1,234,567',
    );
    expect(reasons[4]).toContain('tier 1 prize "1,23,456" has misplaced thousands separators');
    expect(reasons[5]).toBe('tier 1 winners "99999999999" is larger than 2,147,483,647');
    expect(reasons[6]).toContain('carry-over "999');
    expect(reasons[6]).toContain('is larger than');
    expect(reasons[7]).toContain('draw number "4,3" has misplaced thousands separators');
    expect(reasons[8]).toBe('draw number "99999999999" is larger than 2,147,483,647');
    expect(reasons[9]).toContain('N6 "3 0" is ambiguous');
  });
});

describe('draws made in code', () => {
  test('draw numbers and winners beyond the INTEGER columns are problems, not insert failures', () => {
    const draw = parse(line(1, '2000/10/5')).draws[0]!;
    const tiers = draw.tiers.map((tier, i) => (i === 0 ? { ...tier, winners: 3_000_000_000 } : tier));
    expect(drawProblems(GAMES.loto6, { ...draw, num: 2 ** 31, tiers })).toEqual([
      'draw number 2147483648 is larger than 2147483647',
      'tier 1 winners = 3000000000 is larger than 2147483647',
    ]);
  });
});

describe.each(await testDbKinds())('draw order against the table on %s', (kind) => {
  let db: TestDb;
  let dir: string;
  const file = async (name: string, ...lines: string[]): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, [HEADER, ...lines].join('\r\n'));
    return path;
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    dir = await mkdtemp(join(tmpdir(), 'nflab-order-'));
    await importFile(db, {
      file: await file('first.csv', line(1, '2000/10/5'), line(2, '2000/10/12'), line(5, '2000/11/2')),
      game: 'loto6',
    });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const storedNums = async (): Promise<number[]> =>
    (await db.query<{ num: number }>('SELECT DISTINCT num FROM nf_loto_final ORDER BY num')).rows.map(
      (r) => r.num,
    );

  test('a new draw dated on or before a stored earlier draw, or after a stored later one, rejects the file', async () => {
    const bad = await file('second.csv', line(3, '2000/10/12'), line(4, '2000/11/9'), line(6, '2000/11/16'));
    let error: unknown;
    try {
      await importFile(db, { file: bad, game: 'loto6' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RejectedRowsError);
    expect((error as RejectedRowsError).rejected).toEqual([
      {
        line: 2,
        reason:
          'draw 3 dated 2000-10-12 is not after draw 2 dated 2000-10-12 already in "nf_loto_final"; draw numbers and dates must increase together',
      },
      {
        line: 3,
        reason:
          'draw 4 dated 2000-11-09 is not before draw 5 dated 2000-11-02 already in "nf_loto_final"; draw numbers and dates must increase together',
      },
    ]);
    expect(await storedNums()).toEqual([1, 2, 5]);

    const skipped = await importFile(db, { file: bad, game: 'loto6', skipBadRows: true });
    expect(skipped.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(skipped.draws).toBe(1);
    expect(await storedNums()).toEqual([1, 2, 5, 6]);
  });

  test('draws that fit between stored ones are added; a re-import adds nothing', async () => {
    const good = await file('third.csv', line(3, '2000/10/19'), line(4, '2000/10/26'));
    expect((await importFile(db, { file: good, game: 'loto6' })).rejected).toEqual([]);
    expect(await storedNums()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await importFile(db, { file: good, game: 'loto6' })).rowsAdded).toBe(0);
  });
});
