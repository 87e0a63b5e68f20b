/**
 * The fuzz test's own reading of a results file, written apart from the importer (strict: only
 * the forms the official layout uses), so an accepted file can be checked row by row against it.
 */
import { GAMES, seriesIds, type GameRules } from '@nflab/contracts';

/** One line as the oracle reads it: the long rows it must become, or why it cannot. */
export type OracleLine =
  | { readonly line: number; readonly num: number; readonly ds: string; readonly rows: unknown[][] }
  | { readonly line: number; readonly error: string };

/** What the oracle makes of a file: the header it saw and every data line. */
export interface OracleFile {
  /** Null when the header is not the game's (the file must then be rejected whole). */
  readonly lines: OracleLine[] | null;
  /** Number of lines of text (the last data line cannot be beyond it). */
  readonly lineCount: number;
}

const INT4_MAX = 2_147_483_647;

const decode = (bytes: Uint8Array): string => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
};

// RFC 4180 records with the line each starts on; blank lines count but make no record.
const records = (text: string): { line: number; fields: string[] }[] => {
  const out: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  while (i <= text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (inQuotes) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') inQuotes = false;
        else {
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          field += c;
        }
      } else if (c === '"') inQuotes = true;
      else if (c === ',') {
        fields.push(field);
        field = '';
      } else if (c === '\n' || c === '\r') break;
      else field += c;
    }
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') out.push({ line: start, fields });
    if (i >= text.length) break;
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
  }
  return out;
};

type Role =
  | { kind: 'num' | 'date' | 'digits' | 'carry' }
  | { kind: 'main' | 'bonus' | 'winners' | 'prize'; index: number };

const norm = (text: string): string => text.normalize('NFKC').trim();

const roleOf = (game: GameRules, header: string): Role | undefined => {
  const name = norm(header);
  if (name === '開催回') return { kind: 'num' };
  if (name === '日付') return { kind: 'date' };
  if (name === '当せん番号') return { kind: 'digits' };
  if (name === 'キャリーオーバー') return { kind: 'carry' };
  let m = /^第(\d)数字$/.exec(name);
  if (m) return { kind: 'main', index: Number(m[1]) - 1 };
  m = /^(?:BONUS|ボーナス)数字(\d?)$/.exec(name);
  if (m) return { kind: 'bonus', index: m[1] === '' ? 0 : Number(m[1]) - 1 };
  const tiers =
    game.layout === 'digits'
      ? [
          'ストレート',
          'ボックス',
          'セット(ストレート)|セット・ストレート',
          'セット(ボックス)|セット・ボックス',
          'ミニ',
        ]
      : Array.from({ length: 7 }, (_, t) => `${t + 1}等`);
  for (let t = 0; t < tiers.length; t++) {
    for (const tier of (tiers[t] as string).split('|')) {
      if (name === `${tier}口数`) return { kind: 'winners', index: t };
      if (name === `${tier}賞金`) return { kind: 'prize', index: t };
    }
  }
  return undefined;
};

const count = (raw: string, what: string, max: number): number | null => {
  // Published files leave a cell blank or dashed when nothing was paid; yen and counts may carry 円/口.
  const text = norm(raw).replace(/\s*[円口]$/, '');
  if (text === '' || /^[-−ー―]+$/.test(text) || text === '該当なし') return null;
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(text)) throw new Error(`${what} ${JSON.stringify(raw)}`);
  const value = Number(text.replaceAll(',', ''));
  if (!Number.isSafeInteger(value) || value > max) throw new Error(`${what} too large`);
  return value;
};

const isDay = (y: number, m: number, d: number): boolean => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const readLine = (
  game: GameRules,
  roles: (Role | undefined)[],
  fields: string[],
): { num: number; ds: string; rows: unknown[][] } => {
  if (fields.length !== roles.length) throw new Error('field count');
  let num = 0;
  let ds = '';
  let carry: number | null = null;
  const main: number[] = [];
  const bonus: number[] = [];
  const winners: (number | null)[] = Array.from({ length: game.tiers }, () => null);
  const prizes: (number | null)[] = Array.from({ length: game.tiers }, () => null);
  roles.forEach((role, i) => {
    const raw = fields[i] as string;
    if (role === undefined) return;
    if (role.kind === 'num') {
      const m = /^(\d+|\d{1,3}(,\d{3})+)$/.exec(norm(raw));
      if (!m) throw new Error('num');
      num = Number((m[1] as string).replaceAll(',', ''));
      if (num < 1 || num > INT4_MAX) throw new Error('num range');
    } else if (role.kind === 'date') {
      const m = /^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$/.exec(norm(raw));
      if (!m || !isDay(Number(m[1]), Number(m[2]), Number(m[3]))) throw new Error('date');
      ds = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
    } else if (role.kind === 'digits') {
      const text = raw.normalize('NFKC').replace(/\s/g, '');
      if (!new RegExp(`^\\d{${game.mainCount}}$`).test(text)) throw new Error('digits');
      main.push(...[...text].map(Number));
    } else if (role.kind === 'main' || role.kind === 'bonus') {
      const text = norm(raw);
      if (!/^\d+$/.test(text)) throw new Error(role.kind);
      (role.kind === 'main' ? main : bonus)[role.index] = Number(text);
    } else if (role.kind === 'winners') winners[role.index] = count(raw, 'winners', INT4_MAX);
    else if (role.kind === 'prize') prizes[role.index] = count(raw, 'prize', Number.MAX_SAFE_INTEGER);
    else carry = count(raw, 'carry', Number.MAX_SAFE_INTEGER);
  });
  for (const value of [...main, ...bonus])
    if (value < game.min || value > game.max) throw new Error('number range');
  if (game.layout === 'set') {
    const all = [...main, ...bonus];
    if (main.some((v, i) => i > 0 && v <= (main[i - 1] as number))) throw new Error('not ascending');
    if (new Set(all).size !== all.length) throw new Error('repeat');
  }
  if (game.layout === 'columns') {
    const block = (game.max - game.min + 1) / game.mainCount;
    main.forEach((v, i) => {
      if (v < game.min + i * block || v >= game.min + (i + 1) * block) throw new Error('column');
    });
  }
  if (!game.hasCarryOver && carry !== null) throw new Error('carry-over');
  const prizeColumns = Array.from({ length: 7 }, (_, t) => [winners[t] ?? null, prizes[t] ?? null]).flat();
  const values = [...main, ...bonus];
  const rows = seriesIds(game).map((id, i) => [
    game.id,
    num,
    ds,
    id,
    values[i] ?? null,
    carry,
    ...prizeColumns,
  ]);
  return { num, ds, rows };
};

/** Reads `bytes` as a results file of `gameId` the way the official layout defines it. */
export const oracleRead = (bytes: Uint8Array, gameId: keyof typeof GAMES): OracleFile => {
  const game = GAMES[gameId] as GameRules;
  const text = decode(bytes);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  const [header, ...rest] = records(text);
  if (header === undefined) return { lines: null, lineCount };
  const roles = header.fields.map((name) => (norm(name) === '' ? undefined : roleOf(game, name)));
  const named = header.fields.filter((name) => norm(name) !== '');
  if (roles.filter((r) => r !== undefined).length !== named.length) return { lines: null, lineCount };
  const keys = roles.filter((r) => r !== undefined).map((r) => JSON.stringify(r));
  if (new Set(keys).size !== keys.length) return { lines: null, lineCount };
  const lines = rest.map(({ line, fields }): OracleLine => {
    try {
      return { line, ...readLine(game, roles, fields) };
    } catch (error) {
      return { line, error: (error as Error).message };
    }
  });
  return { lines, lineCount };
};
