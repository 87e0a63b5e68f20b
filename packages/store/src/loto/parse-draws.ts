/** Official results CSV text → validated draws, with each bad line's number and reason. */
import { ConfigError, type GameId, type GameRules } from '@nflab/contracts';
import { parseCsv } from './csv.js';
import type { Draw, PrizeTier } from './draw.js';
import { checkDrawOrder, type Rejection } from './draw-order.js';
import { mapHeaders, type ColumnRole } from './official-layout.js';
import { drawProblems } from './validate-draw.js';

export type { Rejection } from './draw-order.js';

/** The result of parsing a results file. */
export interface ParsedDraws {
  readonly game: GameRules;
  /** Valid draws in file order. */
  readonly draws: Draw[];
  /** Line number of each entry of `draws`. */
  readonly lines: number[];
  readonly rejected: Rejection[];
}

// Per column, what a number may look like (a quoted "4,3" used to lose its comma and read as 43):
// - winning numbers (N*, B*) and the digits of numbers3/4 never have separators: "4,3" could be
//   two numbers in one field, so it is rejected, not guessed;
// - winners (口数), prizes (賞金) and the carry-over are counts and yen, which spreadsheets write
//   with thousands separators: "1,234,567" is read as 1234567 when every group after the first has
//   exactly three digits, and anything else ("4,3", "1,23,456") is rejected;
// - the draw number (開催回) is a count too, read the same way.
// Full-width digits and commas are folded first (NFKC); 円 and 口 suffixes are dropped.
const PLAIN = /^\d+$/;
const GROUPED = /^\d{1,3}(,\d{3})+$/;

const normalised = (raw: string): string => raw.normalize('NFKC').trim();

// Column values are stored as INTEGER (draw numbers, winners) or BIGINT read into a JS number.
const INT4_MAX = 2_147_483_647;

const toNumber = (digits: string, raw: string, what: string, max: number): number => {
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value > max) {
    throw new ConfigError(`${what} ${JSON.stringify(raw)} is larger than ${max.toLocaleString('en-US')}`);
  }
  return value;
};

/** A winning number: digits only, no separators. */
const parseInteger = (raw: string, what: string): number => {
  const text = normalised(raw);
  if (PLAIN.test(text)) return toNumber(text, raw, what, INT4_MAX);
  if (/^[\d,.\s]+$/.test(text) && /\d[,.\s]+\d/.test(text)) {
    throw new ConfigError(
      `${what} ${JSON.stringify(raw)} is ambiguous: a winning number has no separators (two numbers in one field?)`,
    );
  }
  throw new ConfigError(`${what} ${JSON.stringify(raw)} is not a whole number`);
};

/** A count or amount: digits, optionally grouped by thousands with commas, optionally 円/口 after. */
const parseAmount = (raw: string, what: string, max: number): number => {
  const text = normalised(raw).replace(/\s*[円口]$/, '');
  if (PLAIN.test(text)) return toNumber(text, raw, what, max);
  if (GROUPED.test(text)) return toNumber(text.replaceAll(',', ''), raw, what, max);
  if (/^[\d,]+$/.test(text)) {
    throw new ConfigError(
      `${what} ${JSON.stringify(raw)} has misplaced thousands separators: write 1234567 or 1,234,567`,
    );
  }
  throw new ConfigError(`${what} ${JSON.stringify(raw)} is not a whole number`);
};

// Prize cells are blank or a dash when nothing was published (e.g. no winner).
const parseOptional = (raw: string, what: string, max: number): number | null => {
  const text = normalised(raw);
  return text === '' || /^[-−ー―]+$/.test(text) || text === '該当なし' ? null : parseAmount(raw, what, max);
};

const parseDrawNumber = (raw: string): number => {
  const match = /^第?\s*([\d,]+)\s*回?$/.exec(normalised(raw));
  if (match === null) throw new ConfigError(`draw number ${JSON.stringify(raw)} is not a whole number`);
  return parseAmount(match[1] as string, 'draw number', INT4_MAX);
};

/** Reads `2000/10/5`, `2000-10-05`, `2000年10月5日`, optionally followed by a weekday like `(木)`. */
export const parseDay = (raw: string): string => {
  const text = raw.normalize('NFKC').trim();
  const match = /^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?\s*(\(.\))?$/.exec(text);
  if (match === null) throw new ConfigError(`date ${JSON.stringify(raw)} is not like 2000/10/5`);
  return `${match[1]}-${(match[2] ?? '').padStart(2, '0')}-${(match[3] ?? '').padStart(2, '0')}`;
};

const parseDigits = (raw: string, game: GameRules): number[] => {
  const text = raw.normalize('NFKC').replace(/\s/g, '');
  if (!/^\d+$/.test(text) || text.length !== game.mainCount) {
    throw new ConfigError(
      `winning number ${JSON.stringify(raw)} must be exactly ${game.mainCount} digits` +
        (/^\d+$/.test(text) && text.length < game.mainCount
          ? ' (leading zeros lost? keep the column as text)'
          : ''),
    );
  }
  return [...text].map(Number);
};

const parseRecord = (
  fields: readonly string[],
  roles: readonly (ColumnRole | undefined)[],
  game: GameRules,
): Draw => {
  let num = 0;
  let ds = '';
  let carryOver: number | null = null;
  let main: number[] = [];
  const bonus: number[] = [];
  const tiers = Array.from(
    { length: game.tiers },
    () =>
      ({ winners: null, prize: null }) as {
        winners: number | null;
        prize: number | null;
      },
  );
  roles.forEach((role, i) => {
    const raw = fields[i] ?? '';
    if (role === undefined) return;
    switch (role.kind) {
      case 'num':
        num = parseDrawNumber(raw);
        break;
      case 'date':
        ds = parseDay(raw);
        break;
      case 'digits':
        main = parseDigits(raw, game);
        break;
      case 'main':
        main[role.index] = parseInteger(raw, `N${role.index + 1}`);
        break;
      case 'bonus':
        bonus[role.index] = parseInteger(raw, `B${role.index + 1}`);
        break;
      case 'winners':
        tiers[role.tier - 1]!.winners = parseOptional(raw, `tier ${role.tier} winners`, INT4_MAX);
        break;
      case 'prize':
        tiers[role.tier - 1]!.prize = parseOptional(raw, `tier ${role.tier} prize`, Number.MAX_SAFE_INTEGER);
        break;
      case 'carryOver':
        carryOver = parseOptional(raw, 'carry-over', Number.MAX_SAFE_INTEGER);
        break;
    }
  });
  return { game: game.id as GameId, num, ds, main, bonus, carryOver, tiers: tiers as PrizeTier[] };
};

/**
 * Parses the text of an official results CSV of `game`. The header is mapped by name (a header
 * that does not fit is a ConfigError); each later line becomes a validated draw or a rejection
 * with its line number. A draw number seen twice rejects the later line, and so does a later
 * draw number with an earlier or equal date (numbers and dates increase together).
 */
export const parseDrawsCsv = (text: string, game: GameId): ParsedDraws => {
  const [header, ...records] = parseCsv(text);
  if (header === undefined) throw new ConfigError(`results file for ${game} is empty: no header line`);
  const map = mapHeaders(header.fields, game);
  const draws: Draw[] = [];
  const lines: number[] = [];
  const rejected: Rejection[] = [];
  const firstLine = new Map<number, number>();
  for (const { line, fields } of records) {
    if (fields.length !== header.fields.length) {
      rejected.push({ line, reason: `expected ${header.fields.length} fields, got ${fields.length}` });
      continue;
    }
    let draw: Draw;
    try {
      draw = parseRecord(fields, map.roles, map.game);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      rejected.push({ line, reason: error.message });
      continue;
    }
    const problems = drawProblems(map.game, draw);
    const earlier = firstLine.get(draw.num);
    if (earlier !== undefined) problems.push(`draw ${draw.num} already appears on line ${earlier}`);
    if (problems.length > 0) {
      rejected.push({ line, reason: problems.join('; ') });
      continue;
    }
    firstLine.set(draw.num, line);
    draws.push(draw);
    lines.push(line);
  }
  const ordered = checkDrawOrder(draws, lines);
  rejected.push(...ordered.rejected);
  rejected.sort((a, b) => a.line - b.line);
  return { game: map.game, draws: ordered.draws, lines: ordered.lines, rejected };
};
