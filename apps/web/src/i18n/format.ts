/**
 * Numbers, dates and sizes in the user's locale and time zone. The browser's locale wins when it
 * speaks the chosen language (en-GB keeps day-first dates); otherwise the language's default.
 */
import type { Language } from './dictionary.js';

/** Locale-aware formatters; every one answers '—' for missing values. */
export interface Format {
  readonly locale: string;
  readonly number: (value: unknown, digits?: number) => string;
  readonly integer: (value: unknown) => string;
  readonly date: (value: unknown) => string;
  readonly dateTime: (value: unknown) => string;
  readonly time: (value: unknown) => string;
  readonly duration: (seconds: unknown) => string;
  readonly bytes: (value: unknown) => string;
  readonly percent: (value: unknown) => string;
}

const MISSING = '—';

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
};

const toDate = (value: unknown): Date | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** The locale used for `language` in this browser. */
export const localeFor = (language: Language): string => {
  const browser = typeof navigator === 'undefined' ? undefined : navigator.language;
  return browser?.toLowerCase().startsWith(language) ? browser : language === 'ja' ? 'ja-JP' : 'en-US';
};

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Formatters for `language`. */
export const createFormat = (language: Language): Format => {
  const locale = localeFor(language);
  const numbers = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number): Intl.NumberFormat => {
    let format = numbers.get(digits);
    if (format === undefined) {
      format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
      numbers.set(digits, format);
    }
    return format;
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  // Draw dates are calendar days: shown as written, not shifted into the viewer's zone.
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

  return {
    locale,
    number: (value, digits = 4) => {
      const n = toNumber(value);
      return n === undefined ? MISSING : numberFormat(digits).format(n);
    },
    integer: (value) => {
      const n = toNumber(value);
      return n === undefined ? MISSING : numberFormat(0).format(n);
    },
    date: (value) => {
      const d = toDate(value);
      if (d === undefined) return MISSING;
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? dayFormat.format(d)
        : dateFormat.format(d);
    },
    dateTime: (value) => {
      const d = toDate(value);
      return d === undefined ? MISSING : dateTimeFormat.format(d);
    },
    time: (value) => {
      const d = toDate(value);
      return d === undefined ? MISSING : timeFormat.format(d);
    },
    duration: (seconds) => {
      const s = toNumber(seconds);
      if (s === undefined) return MISSING;
      if (s < 60) return `${numberFormat(1).format(s)} s`;
      const minutes = Math.floor(s / 60);
      if (minutes < 60) return `${minutes} min ${Math.round(s % 60)} s`;
      return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
    },
    bytes: (value) => {
      let n = toNumber(value);
      if (n === undefined) return MISSING;
      let unit = 0;
      while (n >= 1024 && unit < BYTE_UNITS.length - 1) {
        n /= 1024;
        unit += 1;
      }
      return `${numberFormat(1).format(n)} ${BYTE_UNITS[unit]}`;
    },
    percent: (value) => {
      const n = toNumber(value);
      return n === undefined ? MISSING : percentFormat.format(n);
    },
  };
};
