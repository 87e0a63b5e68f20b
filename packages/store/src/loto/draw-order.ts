/**
 * Draw numbers and dates increase together: draw n+1 is held after draw n. A file that breaks this
 * (a typo in a date, lines from another game) would store fine and then fail every run on a
 * duplicate or out-of-order `ds`, so the importer rejects the line instead, naming both draws.
 */
import type { Draw } from './draw.js';

/** A line that could not become a stored draw. */
export interface Rejection {
  /** 1-based line number in the file (the header is line 1), or position in a list of draws. */
  readonly line: number;
  readonly reason: string;
}

/** Draws of one game already stored: draw number → ISO date. */
export type StoredDates = ReadonlyMap<number, string>;

/** What {@link checkDrawOrder} kept and what it rejected. */
export interface DrawOrderResult {
  /** Draws whose date fits between their neighbours', in input order. */
  readonly draws: Draw[];
  /** Line of each kept draw. */
  readonly lines: number[];
  readonly rejected: Rejection[];
}

// Index of the last entry of `sorted` (ascending numbers) below `num`, or -1.
const lastBelow = (sorted: readonly number[], num: number): number => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < num) low = mid + 1;
    else high = mid;
  }
  return low - 1;
};

/**
 * Keeps the draws (of one game) whose dates increase with their numbers, among themselves and
 * against `stored`; of two draws out of order the one with the higher number is rejected. A
 * stored draw with the same number is left to the writer's value check (a different date there
 * is a conflict). `lines[i]` is the line of `draws[i]`; `table` names the stored draws' home.
 */
export const checkDrawOrder = (
  draws: readonly Draw[],
  lines: readonly number[],
  stored: StoredDates = new Map(),
  table = 'the table',
): DrawOrderResult => {
  const storedNums = [...stored.keys()].sort((a, b) => a - b);
  const order = draws.map((_, i) => i).sort((a, b) => draws[a]!.num - draws[b]!.num || a - b);
  const bad = new Map<number, string>();
  let previous: number | undefined; // index of the last kept draw, by number
  for (const i of order) {
    const draw = draws[i]!;
    const before = previous === undefined ? undefined : draws[previous]!;
    if (before !== undefined && before.ds >= draw.ds) {
      bad.set(
        i,
        `draw ${draw.num} dated ${draw.ds} is not after draw ${before.num} dated ${before.ds} (line ${lines[previous!]}); ` +
          'draw numbers and dates must increase together',
      );
      continue;
    }
    const below = lastBelow(storedNums, draw.num);
    const lower = storedNums[below];
    const upper = storedNums[storedNums[below + 1] === draw.num ? below + 2 : below + 1];
    if (lower !== undefined && (stored.get(lower) as string) >= draw.ds) {
      bad.set(
        i,
        `draw ${draw.num} dated ${draw.ds} is not after draw ${lower} dated ${stored.get(lower)} already in ${table}; ` +
          'draw numbers and dates must increase together',
      );
      continue;
    }
    if (upper !== undefined && (stored.get(upper) as string) <= draw.ds) {
      bad.set(
        i,
        `draw ${draw.num} dated ${draw.ds} is not before draw ${upper} dated ${stored.get(upper)} already in ${table}; ` +
          'draw numbers and dates must increase together',
      );
      continue;
    }
    previous = i;
  }
  const result: DrawOrderResult = { draws: [], lines: [], rejected: [] };
  draws.forEach((draw, i) => {
    const reason = bad.get(i);
    if (reason === undefined) {
      result.draws.push(draw);
      result.lines.push(lines[i]!);
    } else result.rejected.push({ line: lines[i]!, reason });
  });
  return result;
};
