/**
 * Frequencies of a panel and the arithmetic on their timestamps. Calendar timestamps are UTC epoch
 * milliseconds; integer frequencies use the numeric `ds` itself. `'irregular'` (lottery draws) has
 * no fixed step: each series is an ordered index, and future dates come from a supplied calendar or
 * from the weekdays the series was observed on (see {@link futureTimes}).
 */
import { ConfigError } from '@nflab/contracts';

/** Weekday anchors of weekly frequencies, as pandas spells them. */
export const WEEK_ANCHORS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** A weekly frequency anchored on a weekday; `'W'` is `'W-SUN'` as in pandas. */
export type WeeklyFreq = 'W' | `W-${(typeof WEEK_ANCHORS)[number]}`;

/** Calendar frequencies: daily, weekly, month end, month start, hourly. */
export type CalendarFreq = 'D' | WeeklyFreq | 'M' | 'MS' | 'H';

/** Any panel frequency: calendar, a positive integer step over numeric `ds`, or an irregular calendar. */
export type Freq = CalendarFreq | 'irregular' | number;

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** True when the frequency uses numeric `ds` (integer steps). */
export const isIntegerFreq = (freq: Freq): freq is number => typeof freq === 'number';

/** Validates a frequency value from an untyped caller. */
export const parseFreq = (value: unknown): Freq => {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (
    value === 'D' ||
    value === 'M' ||
    value === 'MS' ||
    value === 'H' ||
    value === 'W' ||
    value === 'irregular'
  )
    return value;
  if (typeof value === 'string' && /^W-(SUN|MON|TUE|WED|THU|FRI|SAT)$/.test(value))
    return value as WeeklyFreq;
  throw new ConfigError(
    `freq must be 'D', 'W', 'W-SUN'…'W-SAT', 'M' (month end), 'MS' (month start), 'H', 'irregular' or a positive integer step; got ${JSON.stringify(value)}`,
  );
};

/** Weekday index (0 = Sunday) a weekly frequency is anchored on. */
const weekAnchor = (freq: WeeklyFreq): number =>
  freq === 'W' ? 0 : WEEK_ANCHORS.indexOf(freq.slice(2) as (typeof WEEK_ANCHORS)[number]);

const monthEnd = (year: number, month: number): number => Date.UTC(year, month + 1, 0);

/** The timestamp `n` steps after `t` on a regular frequency (n may be negative). */
export const addSteps = (freq: Exclude<Freq, 'irregular'>, t: number, n: number): number => {
  if (typeof freq === 'number') return t + n * freq;
  if (freq === 'D') return t + n * DAY;
  if (freq === 'H') return t + n * HOUR;
  if (freq === 'M' || freq === 'MS') {
    const date = new Date(t);
    const month = date.getUTCMonth() + n;
    return freq === 'MS' ? Date.UTC(date.getUTCFullYear(), month, 1) : monthEnd(date.getUTCFullYear(), month);
  }
  return t + n * 7 * DAY;
};

/** Describes why `t` is not on the frequency's grid, or returns null when it is. */
export const offGridReason = (freq: Exclude<Freq, 'irregular'>, t: number): string | null => {
  if (typeof freq === 'number') return Number.isInteger(t) ? null : 'integer frequencies need integer ds';
  const date = new Date(t);
  const midnight =
    date.getUTCHours() === 0 &&
    date.getUTCMinutes() === 0 &&
    date.getUTCSeconds() === 0 &&
    date.getUTCMilliseconds() === 0;
  if (freq === 'H')
    return date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0
      ? null
      : "'H' needs timestamps on the hour";
  if (!midnight) return `'${freq}' needs dates without a time of day`;
  if (freq === 'D') return null;
  if (freq === 'MS')
    return date.getUTCDate() === 1
      ? null
      : "'MS' (month start) needs the first day of a month; use 'M' for month-end dates";
  if (freq === 'M')
    return t === monthEnd(date.getUTCFullYear(), date.getUTCMonth())
      ? null
      : "'M' (month end) needs the last day of a month; use 'MS' for month-start dates";
  const anchor = weekAnchor(freq);
  return date.getUTCDay() === anchor ? null : `'${freq}' needs dates on a ${WEEK_ANCHORS[anchor]}`;
};

/** Parses a `ds` value to the panel's time axis (epoch ms for calendars, the number itself for integer steps). */
export const parseTime = (freq: Freq, value: unknown): number => {
  if (isIntegerFreq(freq)) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw new ConfigError(`ds must be a number for integer freq ${freq}; got ${JSON.stringify(value)}`);
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'string') {
    // Date-only and 'YYYY-MM-DD HH:MM:SS' strings are read as UTC so no local time zone shifts a day.
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? `${value}T00:00:00Z`
      : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
        ? `${value.replace(' ', 'T')}Z`
        : value;
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return t;
  }
  throw new ConfigError(
    `ds must be a date (ISO string or Date) for freq '${String(freq)}'; got ${JSON.stringify(value)}`,
  );
};

/** Formats a time back to a `ds` value: the number for integer steps, 'YYYY-MM-DD' for day-based, 'YYYY-MM-DD HH:MM:SS' for hourly. */
export const formatTime = (freq: Freq, t: number): string | number => {
  if (isIntegerFreq(freq)) return t;
  const iso = new Date(t).toISOString();
  return freq === 'H' ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
};

/** How many trailing observations define the weekday pattern of an irregular series. */
export const WEEKDAY_PATTERN_WINDOW = 12;

/** Options of {@link futureTimes}. */
export interface FutureTimesOptions {
  readonly freq: Freq;
  /** Observed times of the series (ascending). */
  readonly times: ArrayLike<number>;
  readonly h: number;
  /** For irregular panels: the future draw dates (epoch ms, ascending); when absent the weekday pattern is used. */
  readonly calendar?: readonly number[];
}

/**
 * The `h` timestamps after a series' last one. For irregular panels it takes the first `h` calendar
 * dates after the last observation; without a calendar it continues the weekdays seen in the last
 * {@link WEEKDAY_PATTERN_WINDOW} observations (loto6 draws on Monday and Thursday → the next Mondays
 * and Thursdays), which ignores holidays and schedule changes — supply a calendar when they matter.
 */
export const futureTimes = (options: FutureTimesOptions): number[] => {
  const { freq, times, h } = options;
  const last = times[times.length - 1];
  if (last === undefined) throw new ConfigError('cannot produce future timestamps for an empty series');
  if (freq !== 'irregular') return Array.from({ length: h }, (_, i) => addSteps(freq, last, i + 1));
  if (options.calendar) {
    const next = options.calendar.filter((t) => t > last).slice(0, h);
    if (next.length < h) {
      throw new ConfigError(
        `calendar has ${next.length} dates after ${formatTime(freq, last)}; the horizon needs ${h}`,
      );
    }
    return next;
  }
  const weekdays = new Set<number>();
  for (let i = Math.max(0, times.length - WEEKDAY_PATTERN_WINDOW); i < times.length; i += 1)
    weekdays.add(new Date(times[i] as number).getUTCDay());
  const out: number[] = [];
  for (let t = last + DAY; out.length < h; t += DAY) if (weekdays.has(new Date(t).getUTCDay())) out.push(t);
  return out;
};
