/** Official results CSV text → validated draws, with each bad line's number and reason. */
import { ConfigError, type GameId, type GameRules } from '@nflab/contracts';
import { parseCsv } from './csv.js';
import type { Draw, PrizeTier } from './draw.js';
import { mapHeaders, type ColumnRole } from './official-layout.js';
import { drawProblems } from './validate-draw.js';

/** A line that could not become a draw. */
export interface Rejection {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly reason: string;
}

/** The result of parsing a results file. */
export interface ParsedDraws {
  readonly game: GameRules;
  /** Valid draws in file order. */
  readonly draws: Draw[];
  /** Line number of each entry of `draws`. */
  readonly lines: number[];
  readonly rejected: Rejection[];
}

// Thousands separators, currency and count suffixes appear in hand-edited files.
const cleanNumber = (raw: string): string =>
  raw
    .normalize('NFKC')
    .replace(/[,\s円口]/g, '')
    .trim();

const parseInteger = (raw: string, what: string): number => {
  const text = cleanNumber(raw);
  if (!/^\d+$/.test(text)) throw new ConfigError(`${what} ${JSON.stringify(raw)} is not a whole number`);
  return Number(text);
};

// Prize cells are blank or a dash when nothing was published (e.g. no winner).
const parseOptional = (raw: string, what: string): number | null => {
  const text = cleanNumber(raw);
  return text === '' || /^[-−ー―]+$/.test(text) || text === '該当なし' ? null : parseInteger(raw, what);
};

const parseDrawNumber = (raw: string): number => {
  const match = /^第?(\d+)回?$/.exec(cleanNumber(raw));
  if (match === null) throw new ConfigError(`draw number ${JSON.stringify(raw)} is not a whole number`);
  return Number(match[1]);
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
        tiers[role.tier - 1]!.winners = parseOptional(raw, `tier ${role.tier} winners`);
        break;
      case 'prize':
        tiers[role.tier - 1]!.prize = parseOptional(raw, `tier ${role.tier} prize`);
        break;
      case 'carryOver':
        carryOver = parseOptional(raw, 'carry-over');
        break;
    }
  });
  return { game: game.id as GameId, num, ds, main, bonus, carryOver, tiers: tiers as PrizeTier[] };
};

/**
 * Parses the text of an official results CSV of `game`. The header is mapped by name (a header
 * that does not fit is a ConfigError); each later line becomes a validated draw or a rejection
 * with its line number. A draw number seen twice rejects the later line.
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
  return { game: map.game, draws, lines, rejected };
};
