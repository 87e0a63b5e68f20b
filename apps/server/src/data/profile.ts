/** `GET …/profile`: a data-quality profile of one game of a long table. */
import { GAMES, drawWeekdaysOn, type GameRules, type ProfileDto } from '@nflab/contracts';
import { DEFAULT_DATA_SCOPE, readTableProfile, type DataScope, type Queryable } from '@nflab/store';

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
  const counts = await readTableProfile(db, table, loto, scope);
  const days = counts.drawDays ?? [];
  const weekdays = Array.from({ length: 7 }, (_, weekday) => ({ weekday, draws: 0 }));
  for (const day of days)
    (weekdays[new Date(`${day}T00:00:00Z`).getUTCDay()] as { draws: number }).draws += 1;
  const game = (GAMES as Record<string, GameRules>)[loto];
  const range = counts.dsFrom === null ? null : { from: counts.dsFrom, to: String(counts.dsTo) };
  const missing =
    game === undefined || range === null || counts.drawDays === null
      ? null
      : missingDrawDays(game, range.from, range.to, new Set(days));
  return {
    rows: counts.rows,
    series: counts.series,
    dateRange: range,
    gaps: missing === null ? null : { count: missing.length, dates: missing.slice(0, MAX_GAP_DATES) },
    nulls: counts.nulls,
    distinct: counts.distinct,
    weekdays,
  };
};
