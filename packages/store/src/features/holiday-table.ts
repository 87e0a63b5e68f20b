/**
 * The `nflab_jp_holidays` table: SQL cannot compute Japanese holidays, so the calendar module's
 * holidays are materialised for the years a feature view needs and joined from there.
 */
import type { Queryable } from '../db.js';
import { JP_HOLIDAY_YEARS, japaneseHolidaysBetween } from '../calendar/jp-holidays.js';

/** Name of the materialised holiday table. */
export const JP_HOLIDAYS_TABLE = 'nflab_jp_holidays';

/** Which days a refresh covered and how many holidays they hold. */
export interface HolidayRange {
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

const clampYear = (year: number): number =>
  Math.min(JP_HOLIDAY_YEARS.last, Math.max(JP_HOLIDAY_YEARS.first, year));

/**
 * The years to materialise for data spanning `minDs`…`maxDs` (ISO days, undefined for an empty
 * table): whole years from the first, through the year after the later of the last and `today`,
 * so draws imported after the build still find their holidays. Clamped to the years the rules cover.
 */
export const holidayYears = (options: {
  minDs?: string;
  maxDs?: string;
  today: string;
}): { first: number; last: number } => {
  const todayYear = Number(options.today.slice(0, 4));
  const first = Number((options.minDs ?? options.today).slice(0, 4));
  const last = Math.max(Number((options.maxDs ?? options.today).slice(0, 4)), todayYear) + 1;
  return { first: clampYear(first), last: clampYear(last) };
};

/**
 * Creates `nflab_jp_holidays(ds DATE PRIMARY KEY, name TEXT)` when missing and rewrites the given
 * years from the calendar rules (delete + insert, so a corrected rule also removes stale days).
 * Call inside a transaction: readers see the old or the new years, never a half-written one.
 */
export const refreshHolidayTable = async (
  tx: Queryable,
  years: { first: number; last: number },
): Promise<HolidayRange> => {
  const from = `${years.first}-01-01`;
  const to = `${years.last}-12-31`;
  // Serialise concurrent builds: CREATE TABLE IF NOT EXISTS itself can race on a server.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [JP_HOLIDAYS_TABLE]);
  await tx.exec(`CREATE TABLE IF NOT EXISTS ${JP_HOLIDAYS_TABLE} (ds DATE PRIMARY KEY, name TEXT NOT NULL)`);
  await tx.query(`DELETE FROM ${JP_HOLIDAYS_TABLE} WHERE ds BETWEEN $1::date AND $2::date`, [from, to]);
  const holidays = japaneseHolidaysBetween(from, to);
  await tx.query(`INSERT INTO ${JP_HOLIDAYS_TABLE} (ds, name) SELECT * FROM unnest($1::date[], $2::text[])`, [
    holidays.map((h) => h.ds),
    holidays.map((h) => h.name),
  ]);
  return { from, to, count: holidays.length };
};
