/**
 * Japanese public holidays (国民の祝日に関する法律) computed from the rules, not a fetched list:
 * fixed-date and Happy-Monday holidays with their historical changes, the equinox formula, one-off
 * days set by special laws, substitute holidays (振替休日) and citizens' holidays (国民の休日).
 */
import { ConfigError } from '@nflab/contracts';
import { addDays, isoDay, isoToUtcMs, nthWeekdayOfMonth, weekdayOf } from './iso-date.js';

/** One public holiday: the ISO day and its official name. */
export interface JapaneseHoliday {
  readonly ds: string;
  readonly name: string;
}

/** Years the rules cover: the holiday law took effect in July 1948; the equinox formula holds to 2099. */
export const JP_HOLIDAY_YEARS = { first: 1949, last: 2099 } as const;

/** Name of a substitute holiday (振替休日). */
export const SUBSTITUTE_HOLIDAY = '振替休日';
/** Name of a citizens' holiday (国民の休日), a weekday sandwiched between two holidays. */
export const CITIZENS_HOLIDAY = '国民の休日';

// Days set once by special laws (ceremonies of the imperial family).
const ONE_OFF: readonly JapaneseHoliday[] = [
  { ds: '1959-04-10', name: '皇太子明仁親王の結婚の儀' },
  { ds: '1989-02-24', name: '昭和天皇の大喪の礼' },
  { ds: '1990-11-12', name: '即位礼正殿の儀' },
  { ds: '1993-06-09', name: '皇太子徳仁親王の結婚の儀' },
  { ds: '2019-05-01', name: '天皇の即位の日' },
  { ds: '2019-10-22', name: '即位礼正殿の儀' },
];

// Olympic special measures: Marine Day, Sports Day and Mountain Day moved in 2020 and 2021.
const OLYMPIC_MOVES: Readonly<Record<number, { marine: string; sports: string; mountain: string }>> = {
  2020: { marine: '2020-07-23', sports: '2020-07-24', mountain: '2020-08-10' },
  2021: { marine: '2021-07-22', sports: '2021-07-23', mountain: '2021-08-08' },
};

/**
 * Day of March (vernal) or September (autumnal) of the equinox holiday: the usual approximation
 * of the astronomical equinox in JST, valid 1900–2099 (two constant sets split at 1980).
 */
export const equinoxDay = (year: number, season: 'vernal' | 'autumnal'): number => {
  const modern = year >= 1980;
  const base = season === 'vernal' ? (modern ? 20.8431 : 20.8357) : modern ? 23.2488 : 23.2588;
  const leapShift = Math.floor((year - (modern ? 1980 : 1983)) / 4);
  return Math.floor(base + 0.242194 * (year - 1980) - leapShift);
};

const monday = (year: number, month: number, nth: number): string =>
  nthWeekdayOfMonth({ year, month, weekday: 1, nth });

// The national holidays proper (国民の祝日) of one year, before substitutes and citizens' days.
const nationalHolidays = (year: number): JapaneseHoliday[] => {
  const days: JapaneseHoliday[] = [];
  const add = (ds: string, name: string): void => void days.push({ ds, name });
  const moved = OLYMPIC_MOVES[year];

  add(isoDay(year, 1, 1), '元日');
  add(year <= 1999 ? isoDay(year, 1, 15) : monday(year, 1, 2), '成人の日');
  if (year >= 1967) add(isoDay(year, 2, 11), '建国記念の日');
  if (year >= 2020) add(isoDay(year, 2, 23), '天皇誕生日');
  add(isoDay(year, 3, equinoxDay(year, 'vernal')), '春分の日');
  if (year <= 1988) add(isoDay(year, 4, 29), '天皇誕生日');
  else add(isoDay(year, 4, 29), year <= 2006 ? 'みどりの日' : '昭和の日');
  add(isoDay(year, 5, 3), '憲法記念日');
  if (year >= 2007) add(isoDay(year, 5, 4), 'みどりの日');
  add(isoDay(year, 5, 5), 'こどもの日');
  if (moved) add(moved.marine, '海の日');
  else if (year >= 2003) add(monday(year, 7, 3), '海の日');
  else if (year >= 1996) add(isoDay(year, 7, 20), '海の日');
  if (moved) add(moved.mountain, '山の日');
  else if (year >= 2016) add(isoDay(year, 8, 11), '山の日');
  if (year >= 2003) add(monday(year, 9, 3), '敬老の日');
  else if (year >= 1966) add(isoDay(year, 9, 15), '敬老の日');
  add(isoDay(year, 9, equinoxDay(year, 'autumnal')), '秋分の日');
  if (moved) add(moved.sports, 'スポーツの日');
  else if (year >= 2020) add(monday(year, 10, 2), 'スポーツの日');
  else if (year >= 2000) add(monday(year, 10, 2), '体育の日');
  else if (year >= 1966) add(isoDay(year, 10, 10), '体育の日');
  add(isoDay(year, 11, 3), '文化の日');
  add(isoDay(year, 11, 23), '勤労感謝の日');
  if (year >= 1989 && year <= 2018) add(isoDay(year, 12, 23), '天皇誕生日');
  for (const day of ONE_OFF) if (day.ds.startsWith(`${year}-`)) days.push(day);
  return days;
};

// Substitute holidays began 1973-04-12. Until 2006 only the Monday after a Sunday holiday (lost
// when that Monday was itself a holiday); from 2007 the first following day that is not one.
const SUBSTITUTE_FROM = '1973-04-12';
const REVISION_2007 = 2007;
// Citizens' holidays began with the 1985-12-27 amendment (first one: 1988-05-04).
const CITIZENS_FROM = 1986;

const holidaysOfYear = (year: number): JapaneseHoliday[] => {
  const national = new Map(nationalHolidays(year).map((h) => [h.ds, h.name]));
  const extra = new Map<string, string>();
  for (const ds of national.keys()) {
    if (weekdayOf(ds) !== 0 || ds < SUBSTITUTE_FROM) continue;
    let next = addDays(ds, 1);
    if (year >= REVISION_2007) while (national.has(next)) next = addDays(next, 1);
    if (!national.has(next)) extra.set(next, SUBSTITUTE_HOLIDAY);
  }
  if (year >= CITIZENS_FROM) {
    for (const ds of national.keys()) {
      const between = addDays(ds, 1);
      if (national.has(between) || extra.has(between) || !national.has(addDays(ds, 2))) continue;
      // Before 2007 a sandwiched Sunday stayed an ordinary Sunday.
      if (year < REVISION_2007 && weekdayOf(between) === 0) continue;
      extra.set(between, CITIZENS_HOLIDAY);
    }
  }
  return [...national, ...extra]
    .filter(([ds]) => ds.startsWith(`${year}-`))
    .map(([ds, name]) => ({ ds, name }))
    .sort((a, b) => (a.ds < b.ds ? -1 : 1));
};

const cache = new Map<number, readonly JapaneseHoliday[]>();

/** All public holidays of a calendar year, ascending. */
export const japaneseHolidaysOfYear = (year: number): readonly JapaneseHoliday[] => {
  if (!Number.isInteger(year) || year < JP_HOLIDAY_YEARS.first || year > JP_HOLIDAY_YEARS.last) {
    throw new ConfigError(
      `year must be an integer in [${JP_HOLIDAY_YEARS.first}, ${JP_HOLIDAY_YEARS.last}] for Japanese holidays, got ${String(year)}`,
    );
  }
  let holidays = cache.get(year);
  if (!holidays) {
    holidays = holidaysOfYear(year);
    cache.set(year, holidays);
  }
  return holidays;
};

/** The holiday's name on an ISO day, or undefined when it is not a public holiday. */
export const japaneseHolidayName = (isoDate: string): string | undefined => {
  isoToUtcMs(isoDate);
  return japaneseHolidaysOfYear(Number(isoDate.slice(0, 4))).find((h) => h.ds === isoDate)?.name;
};

/** Whether an ISO day (`YYYY-MM-DD`) is a Japanese public holiday, substitute and citizens' days included. */
export const isJapaneseHoliday = (isoDate: string): boolean => japaneseHolidayName(isoDate) !== undefined;

/** Every public holiday from `from` to `to`, both inclusive, ascending. */
export const japaneseHolidaysBetween = (from: string, to: string): JapaneseHoliday[] => {
  isoToUtcMs(from, 'from');
  isoToUtcMs(to, 'to');
  if (from > to) throw new ConfigError(`from must not be after to, got from=${from} to=${to}`);
  const result: JapaneseHoliday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    for (const h of japaneseHolidaysOfYear(year)) if (h.ds >= from && h.ds <= to) result.push(h);
  }
  return result;
};
