/**
 * The calendar features of draws after the data. A `futr_*` column of the feature view depends on
 * the draw's date alone, so it is known for future draws too — but only once their dates are: this
 * gives a game's next draw days (its weekday schedule, New Year break skipped, as `drawDays`) and
 * the value each calendar column takes on them, computed exactly as the view's SQL does. Forecasts
 * beyond the last row need these as their futr_df. Draws cancelled or added at short notice
 * cannot be known in advance.
 */
import { ConfigError, type GameRules } from '@nflab/contracts';
import { addDays, isoToUtcMs, weekdayOf } from '../calendar/iso-date.js';
import { isJapaneseHoliday } from '../calendar/jp-holidays.js';
import { drawDays } from '../loto/synth.js';
import { DEFAULT_ROLLING_WINDOWS, featureColumns } from './feature-sql.js';

/** The `futr_*` columns of the feature view, each a function of the draw date (and the previous one). */
export const CALENDAR_FUTR_COLUMNS: readonly string[] = featureColumns(DEFAULT_ROLLING_WINDOWS).futr;

const DAY_MS = 86_400_000;

/** Each calendar column's value on `day`, the draw after `previous` (both ISO days). */
const CALENDAR_VALUES: Readonly<Record<string, (day: string, previous: string) => number>> = {
  // PostgreSQL's EXTRACT(DOW …): 0 = Sunday, as JavaScript numbers weekdays.
  futr_weekday: (day) => weekdayOf(day),
  futr_month: (day) => Number(day.slice(5, 7)),
  // EXTRACT(DOY …): 1 on January 1st.
  futr_day_of_year: (day) => (isoToUtcMs(day) - isoToUtcMs(`${day.slice(0, 4)}-01-01`)) / DAY_MS + 1,
  futr_is_holiday: (day) => (isJapaneseHoliday(day) ? 1 : 0),
  futr_days_since_prev_draw: (day, previous) => (isoToUtcMs(day) - isoToUtcMs(previous)) / DAY_MS,
};

/** The next draws of a game: their days and every calendar column's values, in date order. */
export interface FutureCalendar {
  readonly ds: readonly string[];
  readonly values: Readonly<Record<string, readonly number[]>>;
}

/** The columns among `columns` that are not calendar features (so unknown for future draws). */
export const nonCalendarColumns = (columns: readonly string[]): string[] =>
  columns.filter((column) => !(column in CALENDAR_VALUES));

/**
 * The `count` draws of `game` after the draw on `lastDs` (ISO day) with the values of `columns`,
 * which must all be calendar columns (ConfigError naming the others).
 */
export const futureCalendar = (options: {
  readonly game: GameRules;
  readonly lastDs: string;
  readonly count: number;
  readonly columns: readonly string[];
}): FutureCalendar => {
  const { game, lastDs, count, columns } = options;
  const unknown = nonCalendarColumns(columns);
  if (unknown.length > 0) {
    throw new ConfigError(
      `futr columns ${unknown.join(', ')} are not calendar features; only ${CALENDAR_FUTR_COLUMNS.join(', ')} can be computed for future draws`,
    );
  }
  if (!Number.isInteger(count) || count < 1)
    throw new ConfigError(`count must be a positive integer, got ${count}`);
  const ds = drawDays(game, addDays(lastDs, 1), count);
  const previous = [lastDs, ...ds.slice(0, -1)];
  const values = Object.fromEntries(
    columns.map((column) => [column, ds.map((day, i) => CALENDAR_VALUES[column]!(day, previous[i]!))]),
  );
  return { ds, values };
};
