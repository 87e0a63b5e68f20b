/**
 * The column layout of each game's official results CSV, and the mapping of a file's header row
 * onto it by name, so column order, full-width digits, spaces and spelling variants do not matter.
 */
import { ConfigError, GAMES, type GameId, type GameRules } from '@nflab/contracts';

/** What one CSV column holds. */
export type ColumnRole =
  | { readonly kind: 'num' }
  | { readonly kind: 'date' }
  | { readonly kind: 'main'; readonly index: number }
  | { readonly kind: 'bonus'; readonly index: number }
  /** numbers3/4: the winning digits as one string, e.g. "027". */
  | { readonly kind: 'digits' }
  | { readonly kind: 'winners'; readonly tier: number }
  | { readonly kind: 'prize'; readonly tier: number }
  | { readonly kind: 'carryOver' };

/** One expected column: the name shown in messages, the spellings accepted and its role. */
export interface ExpectedColumn {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly role: ColumnRole;
}

/** Tier names of the numbers games, tier 1 first (ストレート … ミニ). */
export const NUMBERS_TIER_NAMES = [
  'ストレート',
  'ボックス',
  'セット(ストレート)',
  'セット(ボックス)',
  'ミニ',
] as const;

// Spelling variants seen in published and re-saved files, applied after NFKC.
const WORD_VARIANTS: readonly (readonly [RegExp, string])[] = [
  [/ボーナス/g, 'BONUS'],
  [/当選/g, '当せん'],
  [/抽選/g, '抽せん'],
];

/**
 * Canonical form of a header: NFKC (full-width digits/letters to ASCII, half-width kana to
 * full-width), upper case, no spaces or punctuation, common variant words unified.
 */
export const normaliseHeader = (header: string): string => {
  let out = header.normalize('NFKC').toUpperCase();
  for (const [pattern, replacement] of WORD_VARIANTS) out = out.replace(pattern, replacement);
  return out.replace(/[\s()[\]{}「」【】・･\-_.:：'"]/gu, '');
};

const col = (name: string, role: ColumnRole, aliases: readonly string[] = []): ExpectedColumn => ({
  name,
  role,
  aliases: [name, ...aliases],
});

const tierName = (game: GameRules, tier: number): string =>
  game.layout === 'digits' ? (NUMBERS_TIER_NAMES[tier - 1] ?? `${tier}等`) : `${tier}等`;

/** The columns an official results file of `game` has, in published order. */
export const officialColumns = (game: GameRules): ExpectedColumn[] => {
  const columns: ExpectedColumn[] = [
    col('開催回', { kind: 'num' }, ['回別', '回号', '抽せん回', '回']),
    col('日付', { kind: 'date' }, ['抽せん日', '抽せん日付']),
  ];
  if (game.layout === 'digits') columns.push(col('当せん番号', { kind: 'digits' }, ['当せん数字']));
  else {
    for (let i = 0; i < game.mainCount; i++) {
      columns.push(col(`第${i + 1}数字`, { kind: 'main', index: i }, [`本数字${i + 1}`]));
    }
  }
  for (let i = 0; i < game.bonusCount; i++) {
    // A single bonus is published as plain 'BONUS数字'; games with two number them.
    const aliases = game.bonusCount === 1 ? ['BONUS数字1'] : [];
    const name = game.bonusCount === 1 ? 'BONUS数字' : `BONUS数字${i + 1}`;
    columns.push(col(name, { kind: 'bonus', index: i }, aliases));
  }
  for (let t = 1; t <= game.tiers; t++)
    columns.push(col(`${tierName(game, t)}口数`, { kind: 'winners', tier: t }));
  for (let t = 1; t <= game.tiers; t++) {
    const name = tierName(game, t);
    columns.push(col(`${name}賞金`, { kind: 'prize', tier: t }, [`${name}当せん金額`, `${name}金額`]));
  }
  if (game.hasCarryOver)
    columns.push(col('キャリーオーバー', { kind: 'carryOver' }, ['キャリーオーバー金額']));
  return columns;
};

/** A header row mapped onto a game's layout: `roles[i]` is what CSV column `i` holds (undefined: ignored). */
export interface HeaderMap {
  readonly game: GameRules;
  readonly roles: readonly (ColumnRole | undefined)[];
}

/** Looks a game id up; an unknown id is a ConfigError listing the known ones. */
export const requireGame = (id: string): GameRules => {
  const game = (GAMES as Record<string, GameRules>)[id];
  if (game === undefined) {
    throw new ConfigError(
      `game ${JSON.stringify(id)} is unknown; known games: ${Object.keys(GAMES).join(', ')}`,
    );
  }
  return game;
};

/**
 * Maps `headers` onto `gameId`'s official layout. Every expected column must be present exactly
 * once and every non-empty header must be known; otherwise a ConfigError names the missing,
 * unknown and repeated columns, so a file of the wrong game fails before any line is read.
 */
export const mapHeaders = (headers: readonly string[], gameId: GameId): HeaderMap => {
  const game = requireGame(gameId);
  const expected = officialColumns(game);
  const byAlias = new Map<string, ExpectedColumn>();
  for (const column of expected)
    for (const alias of column.aliases) byAlias.set(normaliseHeader(alias), column);
  const seen = new Map<ExpectedColumn, string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  const roles = headers.map((header) => {
    const key = normaliseHeader(header);
    // Spreadsheet exports often end rows with a stray comma: an unnamed column carries nothing.
    if (key === '') return undefined;
    const column = byAlias.get(key);
    if (column === undefined) {
      unknown.push(header);
      return undefined;
    }
    if (seen.has(column)) repeated.push(header);
    seen.set(column, header);
    return column.role;
  });
  const missing = expected.filter((column) => !seen.has(column)).map((column) => column.name);
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    const parts = [
      missing.length > 0 ? `missing columns: ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown columns: ${unknown.join(', ')}` : '',
      repeated.length > 0 ? `repeated columns: ${repeated.join(', ')}` : '',
    ].filter((part) => part !== '');
    throw new ConfigError(
      `header does not fit the ${game.id} (${game.label}) results layout — ${parts.join('; ')}. ` +
        `Expected: ${expected.map((column) => column.name).join(', ')}`,
    );
  }
  return { game, roles };
};
