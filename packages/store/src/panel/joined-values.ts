/**
 * Decoders for the panel statement's comma-joined columns. They run over every character of a
 * ~1 MB result, so they are written as flat loops over char codes: no split, no per-value strings.
 */

const COMMA = 44;
const ZERO = 48;
// Up to 15 digits a double holds every integer exactly; longer ones go through Number().
const EXACT_DIGITS = 15;

/**
 * Reads `length` comma-separated numbers of `text` into `out` from index `start` ('' = NULL → NaN;
 * a NULL text is all NaN). Plain integers are accumulated from char codes; anything else (sign,
 * decimals, exponent, NaN, more than 15 digits) goes through Number().
 */
export const decodeJoinedNumbers = (
  text: string | null,
  out: Float64Array,
  start: number,
  length: number,
): void => {
  if (text === null) {
    out.fill(Number.NaN, start, start + length);
    return;
  }
  const end = text.length;
  let pos = 0;
  for (let i = start; i < start + length; i++) {
    const first = pos;
    let value = 0;
    let code = 0;
    while (pos < end && (code = text.charCodeAt(pos)) !== COMMA) {
      const digit = code - ZERO;
      // A non-digit poisons the accumulator, which sends the value to Number() below.
      value = digit >= 0 && digit <= 9 ? value * 10 + digit : Number.NaN;
      pos++;
    }
    const digits = pos - first;
    out[i] =
      digits === 0
        ? Number.NaN
        : digits <= EXACT_DIGITS && !Number.isNaN(value)
          ? value
          : Number(text.slice(first, pos));
    pos++;
  }
};

/** Reads `length` comma-separated numbers ('' = NULL → NaN); see {@link decodeJoinedNumbers}. */
export const parseJoinedNumbers = (text: string | null, length: number): Float64Array => {
  const out = new Float64Array(length);
  decodeJoinedNumbers(text, out, 0, length);
  return out;
};

const DAY_MS = 86_400_000;

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : `${value}`);

// Days since 1970-01-01 to a civil date by arithmetic (H. Hinnant's days_from_civil inverse):
// a third of the cost of a Date per day. Years outside 0000-9999 take Date's extended format.
const isoDay = (day: number): string => {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(day * DAY_MS).toISOString().slice(0, -14);
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(dayOfMonth)}`;
};

/**
 * Days since 1970-01-01 → 'YYYY-MM-DD'. A panel repeats each date once per series, so each day
 * is formatted once. A NULL ds (NaN) becomes '' for the caller's NULL check.
 */
export const epochDaysToIso = (days: Float64Array): string[] => {
  const memo = new Map<number, string>();
  const out = new Array<string>(days.length);
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!;
    let iso = memo.get(day);
    if (iso === undefined) {
      iso = Number.isNaN(day) ? '' : isoDay(day);
      memo.set(day, iso);
    }
    out[i] = iso;
  }
  return out;
};
