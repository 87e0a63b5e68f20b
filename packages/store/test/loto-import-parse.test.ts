import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ConfigError, GAMES, type GameId } from '@nflab/contracts';
import { decodeText, drawProblems, mapHeaders, normaliseHeader, parseCsv, parseDrawsCsv } from '@nflab/store';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));
const LOTO6_HEADER =
  '開催回,日付,第1数字,第2数字,第3数字,第4数字,第5数字,第6数字,BONUS数字,1等口数,2等口数,3等口数,4等口数,5等口数,' +
  '1等賞金,2等賞金,3等賞金,4等賞金,5等賞金,キャリーオーバー';
const LOTO6_LINE = '1,2000/10/5,2,8,10,13,27,30,39,2,2,262,12413,174452,45513600,40961900,375200,6900,1000,0';

const parseFixture = (game: GameId) =>
  parseDrawsCsv(decodeText(readFileSync(fixture(`${game}.csv`))).text, game);
const loto6 = (...lines: string[]) => parseDrawsCsv([LOTO6_HEADER, ...lines].join('\n'), 'loto6');

describe('decoding and CSV', () => {
  test('the real file is cp932 and decodes to its Japanese header', () => {
    const decoded = decodeText(readFileSync(SAMPLE));
    expect(decoded.encoding).toBe('shift_jis');
    expect(decoded.text.startsWith(LOTO6_HEADER)).toBe(true);
  });

  test('UTF-8 with and without BOM decode the same; the BOM is dropped', () => {
    const plain = new TextEncoder().encode('開催回,日付');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    expect(decodeText(plain)).toEqual({ text: '開催回,日付', encoding: 'utf-8' });
    expect(decodeText(bom)).toEqual({ text: '開催回,日付', encoding: 'utf-8' });
  });

  test('quoted fields, escaped quotes, CRLF and blank lines keep editor line numbers', () => {
    const records = parseCsv('a,b\r\n\r\n"x, y","say ""hi"""\r\n"multi\nline",z');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
    ]);
  });
});

describe('headers', () => {
  test('full-width digits, spaces, ボーナス and parenthesis variants normalise to one spelling', () => {
    expect(normaliseHeader('第１数字 ')).toBe(normaliseHeader('第1数字'));
    expect(normaliseHeader('ボーナス数字')).toBe(normaliseHeader('BONUS数字'));
    expect(normaliseHeader('セット・ストレート口数')).toBe(normaliseHeader('セット（ストレート）口数'));
    expect(normaliseHeader('当選番号')).toBe(normaliseHeader('当せん番号'));
  });

  test('columns are mapped by name, whatever their order', () => {
    const headers = LOTO6_HEADER.split(',').reverse();
    const map = mapHeaders(headers, 'loto6');
    expect(map.roles[0]).toEqual({ kind: 'carryOver' });
    expect(map.roles.at(-1)).toEqual({ kind: 'num' });
  });

  test('a header of another game is a ConfigError naming missing and unknown columns', () => {
    const headerOf = (game: GameId): string[] =>
      (readFileSync(fixture(`${game}.csv`), 'utf8').split('\n')[0] ?? '').replace('\uFEFF', '').split(',');
    expect(() => mapHeaders(headerOf('loto7'), 'loto6')).toThrow(
      /unknown columns: 第7数字, BONUS数字2, 6等口数, 6等賞金\./,
    );
    expect(() => mapHeaders(headerOf('miniloto'), 'loto6')).toThrow(
      /missing columns: 第6数字, 5等口数, 5等賞金, キャリーオーバー\. Expected: 開催回/,
    );
    expect(() => mapHeaders(headerOf('numbers4'), 'numbers3')).toThrow(
      /missing columns: ミニ口数, ミニ賞金\./,
    );
  });

  test('a repeated column is reported', () => {
    expect(() => mapHeaders([...LOTO6_HEADER.split(','), '第1数字'], 'loto6')).toThrow(
      /repeated columns: 第1数字/,
    );
  });

  test('an unknown game id is a ConfigError listing the known ones', () => {
    expect(() => mapHeaders(['開催回'], 'loto9' as GameId)).toThrow(
      /game "loto9" is unknown; known games: loto6/,
    );
  });
});

describe('official layouts of every game', () => {
  test('loto7 (UTF-8 with BOM, two bonus numbers, 6 tiers)', () => {
    const { draws, rejected } = parseFixture('loto7');
    expect(rejected).toEqual([]);
    expect(draws).toHaveLength(3);
    expect(draws[0]).toMatchObject({
      num: 1,
      ds: '2013-04-05',
      main: [5, 8, 10, 16, 20, 25, 35],
      bonus: [2, 18],
    });
    expect(draws[0]?.tiers).toHaveLength(6);
    expect(draws[0]?.carryOver).toBe(406911476);
  });

  test('miniloto (full-width header digits, ボーナス数字, no carry-over)', () => {
    const { draws, rejected } = parseFixture('miniloto');
    expect(rejected).toEqual([]);
    expect(draws[1]).toMatchObject({ num: 2, main: [1, 6, 11, 24, 28], bonus: [29], carryOver: null });
    expect(draws[1]?.tiers[3]).toEqual({ winners: 39551, prize: 1000 });
  });

  test('bingo5 (8 column numbers, 7 tiers, an unpublished prize is null)', () => {
    const { draws, rejected } = parseFixture('bingo5');
    expect(rejected).toEqual([]);
    expect(draws[1]?.main).toEqual([1, 10, 11, 17, 25, 26, 34, 38]);
    expect(draws[1]?.tiers[0]).toEqual({ winners: 0, prize: null });
    expect(draws[1]?.tiers[6]).toEqual({ winners: 110245, prize: 200 });
  });

  test('numbers3 and numbers4 (digit strings keep leading zeros; named tiers map to 1..5 in order)', () => {
    const n3 = parseFixture('numbers3');
    expect(n3.rejected).toEqual([]);
    expect(n3.draws[0]?.main).toEqual([0, 2, 7]);
    expect(n3.draws[0]?.tiers.map((t) => t.winners)).toEqual([95, 402, 356, 1180, 910]);
    expect(n3.draws[0]?.tiers.map((t) => t.prize)).toEqual([94800, 15800, 55300, 7900, 9400]);
    expect(n3.draws[1]?.tiers[1]).toEqual({ winners: 0, prize: null });
    const n4 = parseFixture('numbers4');
    expect(n4.rejected).toEqual([]);
    expect(n4.draws[0]?.main).toEqual([0, 8, 3, 9]);
    expect(n4.draws[1]?.tiers).toHaveLength(GAMES.numbers4.tiers);
  });
});

describe('line validation', () => {
  const reasonOf = (line: string): string => loto6(line).rejected[0]?.reason ?? '';

  test('a valid line parses; the weekday is not checked (draws move for holidays)', () => {
    // 2000-10-06 is a Friday, not loto6's Thursday.
    const { draws, rejected } = loto6(LOTO6_LINE.replace('2000/10/5', '2000/10/6'));
    expect(rejected).toEqual([]);
    expect(draws[0]?.ds).toBe('2000-10-06');
  });

  test.each([
    ['out of range', LOTO6_LINE.replace(',30,39,', ',44,39,'), 'N6 = 44 is outside 1–43'],
    ['not ascending', LOTO6_LINE.replace(',2,8,10,', ',8,2,10,'), 'distinct and ascending'],
    ['bonus repeats a main number', LOTO6_LINE.replace(',30,39,', ',30,27,'), 'numbers repeat'],
    ['impossible date', LOTO6_LINE.replace('2000/10/5', '2021/2/30'), 'not a valid YYYY-MM-DD day'],
    ['unreadable date', LOTO6_LINE.replace('2000/10/5', 'yesterday'), 'date "yesterday"'],
    ['not a number', LOTO6_LINE.replace(',8,10,', ',eight,10,'), 'N2 "eight" is not a whole number'],
    ['too few fields', LOTO6_LINE.replace(',0', ''), 'expected 20 fields, got 19'],
  ])('%s is rejected with its reason', (_, line, reason) => {
    expect(reasonOf(line)).toContain(reason);
  });

  test('rejections carry 1-based line numbers; a repeated draw number rejects the later line', () => {
    const { draws, rejected } = loto6(LOTO6_LINE, LOTO6_LINE.replace(',30,39,', ',44,39,'), LOTO6_LINE);
    expect(draws).toHaveLength(1);
    expect(rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(rejected[1]?.reason).toContain('draw 1 already appears on line 2');
  });

  test('bingo5 numbers must sit in their column block; numbers digits must be complete', () => {
    const draw = { game: 'bingo5' as const, num: 1, ds: '2017-04-05', bonus: [], carryOver: 0 };
    const tiers = Array.from({ length: 7 }, () => ({ winners: 0, prize: 0 }));
    expect(drawProblems(GAMES.bingo5, { ...draw, tiers, main: [3, 8, 15, 19, 22, 27, 33, 40] })).toEqual([]);
    expect(drawProblems(GAMES.bingo5, { ...draw, tiers, main: [3, 5, 15, 19, 22, 27, 33, 40] })).toEqual([
      'N2 = 5 is outside its column 6–10',
    ]);
    const n3 = readFileSync(fixture('numbers3.csv'), 'utf8').replace(',027,', ',27,');
    expect(parseDrawsCsv(n3, 'numbers3').rejected[0]?.reason).toContain(
      'must be exactly 3 digits (leading zeros lost?',
    );
  });

  test('a carry-over on a game without one, and a negative count, are problems', () => {
    const { draws } = parseFixture('miniloto');
    const first = draws[0]!;
    expect(drawProblems(GAMES.miniloto, { ...first, carryOver: 5 })).toEqual([
      'miniloto has no carry-over, got 5',
    ]);
    const tiers = [{ winners: -1, prize: 1 }, ...first.tiers.slice(1)];
    expect(drawProblems(GAMES.miniloto, { ...first, tiers })).toEqual(['tier 1 winners = -1 is not a count']);
  });

  test('an empty file has no header', () => {
    expect(() => parseDrawsCsv('', 'loto6')).toThrow(ConfigError);
  });
});
