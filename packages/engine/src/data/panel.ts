/**
 * The typed panel every engine function reads: one entry per series, sorted by unique_id then ds,
 * with the target, its availability and every exogenous column as dense float arrays.
 */
import { ConfigError } from '@nflab/contracts';
import { encodeCategory, type CategoryCodes } from '../categorical/vocab.js';
import { addSteps, formatTime, offGridReason, parseTime, type Freq } from './freq.js';

/** A `ds` value as users give it: an ISO date string, a Date, or a number for integer frequencies. */
export type DsValue = string | number | Date;

/** One long-format row: `unique_id`, `ds`, `y` (null/NaN = missing) and any exogenous columns. */
export interface PanelRow {
  readonly unique_id: string | number;
  readonly ds: DsValue;
  readonly y?: number | null;
  readonly [column: string]: unknown;
}

/** Column-format data: equal-length arrays keyed by column name. */
export interface PanelColumns {
  readonly unique_id: readonly (string | number)[];
  readonly ds: readonly DsValue[];
  readonly y?: readonly (number | null)[];
  readonly [column: string]: readonly unknown[] | undefined;
}

/** One static row: `unique_id` plus static exogenous values. */
export interface StaticRow {
  readonly unique_id: string | number;
  readonly [column: string]: unknown;
}

/** How gaps in a regular frequency are handled: `reject` raises a ConfigError, `fill-nan` inserts missing rows. */
export type MissingPolicy = 'reject' | 'fill-nan';

/** One series of the panel. */
export interface Series {
  readonly id: string;
  /** Time axis: epoch ms for calendar frequencies, the numeric ds for integer steps. */
  readonly time: Float64Array;
  /** Target; 0 where missing (see `mask`). */
  readonly y: Float64Array;
  /** 1 where `y` was observed, 0 where missing or filled. */
  readonly mask: Float64Array;
  /** Exogenous columns by name; 0 in rows inserted by `fill-nan`. */
  readonly exog: Readonly<Record<string, Float64Array>>;
}

/** A panel of series with a shared frequency, exogenous columns and static frame. */
export interface Panel {
  readonly freq: Freq;
  readonly series: readonly Series[];
  /** Names of the temporal exogenous columns every series carries. */
  readonly exogColumns: readonly string[];
  /** Static values per series id. */
  readonly static: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly staticColumns: readonly string[];
}

/** Options of {@link buildPanel}. */
export interface BuildPanelOptions {
  /** Long rows or equal-length columns. */
  readonly data: readonly PanelRow[] | PanelColumns;
  readonly freq: Freq;
  /** Static exogenous, one row per series. */
  readonly staticRows?: readonly StaticRow[];
  /** @default 'reject' */
  readonly missing?: MissingPolicy;
  /** When false, rows without a `y` column are accepted (future exogenous frames). @default true */
  readonly requireY?: boolean;
  /** Categorical columns, stored as their codes (0 for values the vocabulary lacks). */
  readonly codes?: CategoryCodes;
}

const RESERVED = new Set(['unique_id', 'ds', 'y']);

/** Turns column-format data into rows (the single path the builder reads). */
const columnsToRows = (columns: PanelColumns): PanelRow[] => {
  const n = columns.unique_id.length;
  for (const [name, values] of Object.entries(columns)) {
    if (values !== undefined && values.length !== n) {
      throw new ConfigError(`column '${name}' has ${values.length} values; unique_id has ${n}`);
    }
  }
  const names = Object.keys(columns).filter((name) => columns[name] !== undefined);
  return Array.from(
    { length: n },
    (_, i) => Object.fromEntries(names.map((name) => [name, columns[name]?.[i]])) as unknown as PanelRow,
  );
};

/** A column's value as the panel stores it: its category code, or the number it holds. */
const cellValue = (codes: CategoryCodes | undefined, column: string, value: unknown, where: string): number => {
  const columnCodes = codes?.get(column);
  return columnCodes ? encodeCategory(columnCodes, value) : toNumber(value, where);
};

const toNumber = (value: unknown, where: string): number => {
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new ConfigError(`${where} must be numeric; got ${JSON.stringify(value)}`);
};

interface Draft {
  readonly time: number;
  readonly y: number;
  readonly exog: number[];
}

/** Builds a {@link Panel} from rows or columns: sorts, checks duplicates and gaps, splits masks. */
export const buildPanel = (options: BuildPanelOptions): Panel => {
  const { freq, missing = 'reject', requireY = true } = options;
  const rows = Array.isArray(options.data)
    ? (options.data as readonly PanelRow[])
    : columnsToRows(options.data as PanelColumns);
  if (rows.length === 0) throw new ConfigError('the data frame is empty; it needs unique_id, ds and y rows');
  const first = rows[0] as PanelRow;
  const exogColumns = Object.keys(first).filter((name) => !RESERVED.has(name));
  if (requireY && !('y' in first)) throw new ConfigError("the data frame has no 'y' column");
  const drafts = new Map<string, Draft[]>();
  for (const row of rows) {
    if (row.unique_id === undefined || row.unique_id === null)
      throw new ConfigError("a row has no 'unique_id'");
    const id = String(row.unique_id);
    const y = toNumber(row.y, `y of series '${id}'`);
    const exog = exogColumns.map((name) =>
      cellValue(options.codes, name, row[name], `column '${name}' of series '${id}'`),
    );
    const list = drafts.get(id) ?? [];
    list.push({ time: parseTime(freq, row.ds), y, exog });
    drafts.set(id, list);
  }
  const ids = [...drafts.keys()].sort();
  const series = ids.map((id) =>
    toSeries({ id, drafts: drafts.get(id) as Draft[], freq, missing, exogColumns }),
  );
  const { staticValues, staticColumns } = buildStatic(ids, options.staticRows, options.codes);
  return { freq, series, exogColumns, static: staticValues, staticColumns };
};

interface ToSeriesArgs {
  readonly id: string;
  readonly drafts: Draft[];
  readonly freq: Freq;
  readonly missing: MissingPolicy;
  readonly exogColumns: readonly string[];
}

const toSeries = ({ id, drafts, freq, missing, exogColumns }: ToSeriesArgs): Series => {
  drafts.sort((a, b) => a.time - b.time);
  const filled: Draft[] = [];
  for (const draft of drafts) {
    const previous = filled[filled.length - 1];
    if (previous && previous.time === draft.time) {
      throw new ConfigError(`series '${id}' has two rows at ds ${formatTime(freq, draft.time)}`);
    }
    if (freq !== 'irregular') {
      const reason = offGridReason(freq, draft.time);
      if (reason) throw new ConfigError(`series '${id}' ds ${formatTime(freq, draft.time)}: ${reason}`);
      if (previous) {
        let expected = addSteps(freq, previous.time, 1);
        if (expected !== draft.time) {
          if (missing === 'reject' || expected > draft.time) {
            throw new ConfigError(
              `series '${id}' has a gap: after ${formatTime(freq, previous.time)} the next ds is ${formatTime(freq, draft.time)}, expected ${formatTime(freq, expected)} for freq '${String(freq)}' (set missing: 'fill-nan' to insert missing rows)`,
            );
          }
          while (expected < draft.time) {
            filled.push({ time: expected, y: Number.NaN, exog: exogColumns.map(() => Number.NaN) });
            expected = addSteps(freq, expected, 1);
          }
          if (expected !== draft.time)
            throw new ConfigError(
              `series '${id}' ds ${formatTime(freq, draft.time)} is off the '${String(freq)}' grid`,
            );
        }
      }
    }
    filled.push(draft);
  }
  const n = filled.length;
  const time = new Float64Array(n);
  const y = new Float64Array(n);
  const mask = new Float64Array(n);
  const exog: Record<string, Float64Array> = Object.fromEntries(
    exogColumns.map((name) => [name, new Float64Array(n)]),
  );
  filled.forEach((draft, i) => {
    time[i] = draft.time;
    const observed = Number.isFinite(draft.y);
    y[i] = observed ? draft.y : 0;
    mask[i] = observed ? 1 : 0;
    exogColumns.forEach((name, c) => {
      const value = draft.exog[c] as number;
      (exog[name] as Float64Array)[i] = Number.isFinite(value) ? value : 0;
    });
  });
  return { id, time, y, mask, exog };
};

const buildStatic = (
  ids: readonly string[],
  staticRows: readonly StaticRow[] | undefined,
  codes: CategoryCodes | undefined,
): { staticValues: Record<string, Record<string, number>>; staticColumns: string[] } => {
  if (!staticRows || staticRows.length === 0) return { staticValues: {}, staticColumns: [] };
  const staticColumns = Object.keys(staticRows[0] as StaticRow).filter((name) => name !== 'unique_id');
  const staticValues: Record<string, Record<string, number>> = {};
  for (const row of staticRows) {
    const id = String(row.unique_id);
    staticValues[id] = Object.fromEntries(
      staticColumns.map((name) => [
        name,
        cellValue(codes, name, row[name], `static column '${name}' of series '${id}'`),
      ]),
    );
  }
  const missingIds = ids.filter((id) => !(id in staticValues));
  if (missingIds.length > 0)
    throw new ConfigError(
      `static frame has no row for series ${missingIds.map((id) => `'${id}'`).join(', ')}`,
    );
  return { staticValues, staticColumns };
};

/** The series of `panel` with the given id, or a ConfigError naming the known ids. */
export const seriesById = (panel: Panel, id: string): Series => {
  const found = panel.series.find((s) => s.id === id);
  if (!found)
    throw new ConfigError(
      `series '${id}' is not in the panel; it has ${panel.series.map((s) => `'${s.id}'`).join(', ')}`,
    );
  return found;
};

/** A copy of `series` keeping its first `length` rows (cross-validation cutoffs). */
export const headSeries = (series: Series, length: number): Series => ({
  id: series.id,
  time: series.time.slice(0, length),
  y: series.y.slice(0, length),
  mask: series.mask.slice(0, length),
  exog: Object.fromEntries(
    Object.entries(series.exog).map(([name, values]) => [name, values.slice(0, length)]),
  ),
});

/** A panel whose series are cut to their first `lengths[i]` rows. */
export const headPanel = (panel: Panel, lengths: readonly number[]): Panel => ({
  ...panel,
  series: panel.series.map((s, i) => headSeries(s, lengths[i] ?? s.time.length)),
});
