/**
 * Calendar arithmetic on ISO days (`YYYY-MM-DD`) in UTC, so no local time zone can shift a day.
 */
import { ConfigError } from '@nflab/contracts';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Parses an ISO day to UTC milliseconds, rejecting malformed or impossible dates (2021-02-30). */
export const isoToUtcMs = (isoDate: string, field = 'date'): number => {
  const match = ISO_DAY.exec(isoDate);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || utcMsToIso(ms) !== isoDate) {
    throw new ConfigError(`${field} must be an ISO day YYYY-MM-DD, got ${JSON.stringify(isoDate)}`);
  }
  return ms;
};

/** Formats UTC milliseconds as an ISO day. */
export const utcMsToIso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The ISO day `days` after `isoDate` (negative goes back). */
export const addDays = (isoDate: string, days: number): string =>
  utcMsToIso(isoToUtcMs(isoDate) + days * DAY_MS);

/** Weekday of an ISO day, JavaScript numbering (0 = Sunday). */
export const weekdayOf = (isoDate: string): number => new Date(isoToUtcMs(isoDate)).getUTCDay();

/** ISO day of year/month/day (month 1-based). */
export const isoDay = (year: number, month: number, day: number): string =>
  utcMsToIso(Date.UTC(year, month - 1, day));

/** The ISO day of the `nth` (1-based) given weekday of a month, e.g. the 2nd Monday of January. */
export const nthWeekdayOfMonth = (options: {
  year: number;
  month: number;
  weekday: number;
  nth: number;
}): string => {
  const first = new Date(Date.UTC(options.year, options.month - 1, 1)).getUTCDay();
  const offset = (options.weekday - first + 7) % 7;
  return isoDay(options.year, options.month, 1 + offset + (options.nth - 1) * 7);
};
