/**
 * The long table the lab models from (the seed's `nf_loto_final`): one row per draw and series
 * position, `unique_id` N1…Nk then B1…Bm, with the draw's carry-over and every tier's winners and
 * prize repeated on each row so a series can use them as exogenous features.
 */
import { GAMES, MAX_TIERS, seriesIds } from '@nflab/contracts';
import { quoteIdentifier } from '../sql/identifiers.js';
import type { Draw } from './draw.js';

/** Default name of the long results table. */
export const DEFAULT_LONG_TABLE = 'nf_loto_final';

/** Prize columns `n1nu, n1pm, … n7nu, n7pm`: winners (口数) and prize per winner (賞金) of each tier. */
export const PRIZE_COLUMNS: readonly string[] = Array.from({ length: MAX_TIERS }, (_, i) => [
  `n${i + 1}nu`,
  `n${i + 1}pm`,
]).flat();

/** Every column of the long table with its SQL type, in table order. */
export const LONG_COLUMNS: readonly (readonly [name: string, sqlType: string])[] = [
  ['loto', 'TEXT'],
  ['num', 'INTEGER'],
  ['ds', 'DATE'],
  ['unique_id', 'TEXT'],
  ['y', 'INTEGER'],
  ['co', 'BIGINT'],
  ...PRIZE_COLUMNS.map((name) => [name, name.endsWith('nu') ? 'INTEGER' : 'BIGINT'] as const),
];

/** The long table's column names, in table order. */
export const LONG_COLUMN_NAMES: readonly string[] = LONG_COLUMNS.map(([name]) => name);

/** Columns compared when a draw is already stored (the key columns loto/num/unique_id excluded). */
export const VALUE_COLUMNS: readonly string[] = LONG_COLUMN_NAMES.filter(
  (name) => name !== 'loto' && name !== 'num' && name !== 'unique_id',
);

/** One long-table row; values in {@link LONG_COLUMN_NAMES} order. */
export type LongRow = readonly (string | number | null)[];

/** The rows of one draw, one per series position, in {@link seriesIds} order. */
export const drawToRows = (draw: Draw): LongRow[] => {
  const prizes = Array.from({ length: MAX_TIERS }, (_, t) => {
    const tier = draw.tiers[t];
    return [tier?.winners ?? null, tier?.prize ?? null];
  }).flat();
  const values = [...draw.main, ...draw.bonus];
  return seriesIds(GAMES[draw.game]).map((uniqueId, i) => [
    draw.game,
    draw.num,
    draw.ds,
    uniqueId,
    values[i] ?? null,
    draw.carryOver,
    ...prizes,
  ]);
};

// An index name must fit in 63 bytes too; table names are ASCII, so characters are bytes.
const indexName = (table: string): string => {
  const suffix = '_loto_uid_ds_idx';
  return `${table.slice(0, 63 - suffix.length)}${suffix}`;
};

/**
 * DDL that creates the long table `table` (in `schema` when given) and its series index when they do not exist. The index
 * sorts `unique_id` bytewise (COLLATE "C"), the order panels are read in on every server whatever
 * its locale, so reading a whole game is an index scan with no sort.
 */
export const createLongTableSql = (table: string, schema?: string): string => {
  // Schema-qualified when given, so the table lands in the data schema whatever the search path;
  // an index always lives in its table's schema.
  const name =
    schema === undefined ? quoteIdentifier(table) : `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  const columns = LONG_COLUMNS.map(([column, type]) => `${column} ${type}`).join(', ');
  return (
    `CREATE TABLE IF NOT EXISTS ${name} (${columns}, PRIMARY KEY (loto, num, unique_id));\n` +
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(indexName(table))} ON ${name} (loto, unique_id COLLATE "C", ds);`
  );
};
