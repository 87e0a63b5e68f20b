/** `GET …/profile`: a data-quality profile of one game of a long table. */
import { GAMES, NotFoundError, drawWeekdaysOn, type GameRules, type ProfileDto } from '@nflab/contracts';
import {
  DEFAULT_DATA_SCOPE,
  quoteIdentifier,
  quoteRelation,
  requirePanelTable,
  type DataScope,
  type Queryable,
} from '@nflab/store';

const DAY_MS = 86_400_000;
// Enough to see a pattern; the count says how many there are in all.
const MAX_GAP_DATES = 500;

/** Draw days of `game` from `from` to `to` (inclusive) that are not in `present`. */
export const missingDrawDays = (
  game: GameRules,
  from: string,
  to: string,
  present: ReadonlySet<string>,
): string[] => {
  const missing: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= end; ms += DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    if (drawWeekdaysOn(game, day).includes(new Date(ms).getUTCDay()) && !present.has(day)) missing.push(day);
  }
  return missing;
};

/**
 * Rows, series, date range, NULLs and distinct values per column, draws per weekday, and draw days
 * the game's schedule has but the table lacks (only for games the lab knows and a DATE ds).
 */
export const profileTable = async (
  db: Queryable,
  table: string,
  loto: string,
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<ProfileDto> => {
  const info = await requirePanelTable(db, table, ['loto', 'unique_id', 'ds'], scope);
  const from = quoteRelation(info);
  const columns = info.columns.filter((column) => column.name !== 'loto');
  const perColumn = columns
    .map((column, i) => {
      const name = quoteIdentifier(column.name, 'column');
      return `count(*) - count(${name}) AS n${i}, count(DISTINCT ${name}) AS d${i}`;
    })
    .join(', ');
  const { rows } = await db.query<Record<string, number | string | null>>(
    `SELECT count(*)::int AS rows, count(DISTINCT unique_id)::int AS series,
            min(ds)::text AS ds_from, max(ds)::text AS ds_to, ${perColumn}
       FROM ${from} WHERE loto = $1`,
    [loto],
  );
  const stats = rows[0] ?? {};
  if (Number(stats.rows) === 0) {
    throw new NotFoundError(`table ${JSON.stringify(table)} has no rows for loto ${JSON.stringify(loto)}`);
  }
  const nulls: Record<string, number> = {};
  const distinct: Record<string, number> = {};
  columns.forEach((column, i) => {
    nulls[column.name] = Number(stats[`n${i}`]);
    distinct[column.name] = Number(stats[`d${i}`]);
  });
  const isDate = info.columns.find((column) => column.name === 'ds')?.dataType === 'date';
  const days = isDate
    ? (
        await db.query<{ day: string }>(`SELECT DISTINCT ds::text AS day FROM ${from} WHERE loto = $1`, [
          loto,
        ])
      ).rows
    : [];
  const weekdays = Array.from({ length: 7 }, (_, weekday) => ({ weekday, draws: 0 }));
  for (const { day } of days)
    (weekdays[new Date(`${day}T00:00:00Z`).getUTCDay()] as { draws: number }).draws += 1;
  const game = (GAMES as Record<string, GameRules>)[loto];
  const range = stats.ds_from === null ? null : { from: String(stats.ds_from), to: String(stats.ds_to) };
  const missing =
    game === undefined || range === null || !isDate
      ? null
      : missingDrawDays(game, range.from, range.to, new Set(days.map((row) => row.day)));
  return {
    rows: Number(stats.rows),
    series: Number(stats.series),
    dateRange: range,
    gaps: missing === null ? null : { count: missing.length, dates: missing.slice(0, MAX_GAP_DATES) },
    nulls,
    distinct,
    weekdays,
  };
};
