/**
 * `nflab data features`: derived exogenous columns over a draws table, kept as a VIEW so draws
 * imported later get their features without another build.
 */
import { ConfigError, ConflictError } from '@nflab/contracts';
import { isoToUtcMs } from '../calendar/iso-date.js';
import type { Db } from '../db.js';
import { findTable, quoteIdentifier, requireTable, validateIdentifier } from '../sql/identifiers.js';
import {
  DEFAULT_ROLLING_WINDOWS,
  featureColumns,
  featureDescriptions,
  featureViewSql,
  type FeatureColumns,
} from './feature-sql.js';
import { holidayYears, JP_HOLIDAYS_TABLE, refreshHolidayTable, type HolidayRange } from './holiday-table.js';

/** Options of {@link buildFeatures}. */
export interface BuildFeaturesOptions {
  /** The draws table (long format: `loto, num, ds, unique_id, y`, other columns kept as they are). */
  readonly table: string;
  /**
   * Name of the view to create or replace.
   * @default `${table}_features`
   */
  readonly view?: string;
  /**
   * Window lengths (in draws) of the `hist_y_roll_mean_<k>` columns.
   * @default [5, 10]
   */
  readonly rollingWindows?: readonly number[];
  /**
   * Today as an ISO day, which bounds the holiday years materialised.
   * @default the current UTC date
   */
  readonly today?: string;
}

/** What {@link buildFeatures} made. */
export interface BuildFeaturesResult {
  readonly table: string;
  readonly view: string;
  /** The derived columns by role (base columns are kept too and are not listed). */
  readonly columns: FeatureColumns;
  /** What each derived column means. */
  readonly descriptions: Readonly<Record<string, string>>;
  /** The days `nflab_jp_holidays` was refreshed for. */
  readonly holidays: HolidayRange;
}

/** Columns the features are computed from. */
export const FEATURE_SOURCE_COLUMNS = ['loto', 'num', 'ds', 'unique_id', 'y'] as const;

/** Largest rolling window accepted: far beyond any draw history's useful memory. */
export const MAX_ROLLING_WINDOW = 1000;

// Helper columns inside the view's SELECT (see feature-sql.ts) start with this.
const HELPER_PREFIX = 'nflab_';

// Base column names come from the catalog, not from the user, and may be any string a table was
// created with: quote them with embedded quotes doubled rather than rejecting the table.
const quoteCatalogName = (name: string): string => `"${name.replaceAll('"', '""')}"`;

// LIKE 'nf_loto%': `_` matches any one character, mirrored exactly so both sides agree.
const matchesNfLoto = (name: string): boolean => /^nf.loto/.test(name);

const resolveView = (table: string, view: string | undefined): string => {
  const name = validateIdentifier(view ?? `${table}_features`, 'table');
  if (name === table)
    throw new ConfigError(`view must differ from the table it reads, got ${JSON.stringify(name)}`);
  if (name === JP_HOLIDAYS_TABLE)
    throw new ConfigError(`view must not be named ${JP_HOLIDAYS_TABLE}, which the lab keeps`);
  if (matchesNfLoto(table) && !matchesNfLoto(name)) {
    throw new ConfigError(
      `view ${JSON.stringify(name)} must match nf_loto% like its table ${JSON.stringify(table)}, so data pickers list it`,
    );
  }
  return name;
};

const resolveWindows = (windows: readonly number[] | undefined): number[] => {
  const list = [...(windows ?? DEFAULT_ROLLING_WINDOWS)];
  for (const k of list) {
    if (!Number.isInteger(k) || k < 1 || k > MAX_ROLLING_WINDOW) {
      throw new ConfigError(
        `rollingWindows entries must be integers in [1, ${MAX_ROLLING_WINDOW}], got ${String(k)}`,
      );
    }
  }
  if (new Set(list).size !== list.length)
    throw new ConfigError(`rollingWindows must not repeat, got [${list.join(', ')}]`);
  return list;
};

/**
 * Creates (or replaces) the view `<table>_features`: every column of `table` plus `hist_*` (from
 * draws strictly before each row's draw), `stat_*` (per series) and `futr_*` (calendar, with
 * Japanese holidays from `nflab_jp_holidays`, refreshed here), all INTEGER or DOUBLE PRECISION.
 */
export const buildFeatures = async (db: Db, options: BuildFeaturesOptions): Promise<BuildFeaturesResult> => {
  const table = validateIdentifier(options.table, 'table');
  const view = resolveView(table, options.view);
  const windows = resolveWindows(options.rollingWindows);
  const columns = featureColumns(windows);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  isoToUtcMs(today, 'today');

  return db.transaction(async (tx) => {
    const info = await requireTable(tx, table);
    for (const name of FEATURE_SOURCE_COLUMNS) {
      if (!info.columns.some((c) => c.name === name)) {
        throw new ConfigError(
          `table ${JSON.stringify(table)} lacks column ${name}, which features are computed from`,
        );
      }
    }
    if (!info.columns.some((c) => c.name === 'y' && c.numeric)) {
      throw new ConfigError(`column y of ${JSON.stringify(table)} must be numeric to derive features`);
    }
    const derived = [...columns.hist, ...columns.stat, ...columns.futr];
    const clash = info.columns.find((c) => derived.includes(c.name));
    if (clash) {
      throw new ConflictError(
        `table ${JSON.stringify(table)} already has a column ${clash.name}, which the feature view adds`,
      );
    }
    const reserved = info.columns.find((c) => c.name.startsWith(HELPER_PREFIX));
    if (reserved) {
      throw new ConflictError(
        `table ${JSON.stringify(table)} has a column ${reserved.name}; names starting ${HELPER_PREFIX} are reserved for the feature view's internals`,
      );
    }
    const existing = await findTable(tx, view);
    if (existing?.kind === 'table')
      throw new ConflictError(`${JSON.stringify(view)} is a table; the feature view would replace it`);

    const { rows } = await tx.query<{ min_ds: string | null; max_ds: string | null }>(
      `SELECT MIN(ds)::date::text AS min_ds, MAX(ds)::date::text AS max_ds FROM ${quoteIdentifier(table)}`,
    );
    const span = rows[0];
    const holidays = await refreshHolidayTable(
      tx,
      holidayYears({ minDs: span?.min_ds ?? undefined, maxDs: span?.max_ds ?? undefined, today }),
    );
    // DROP + CREATE rather than CREATE OR REPLACE: the latter cannot drop or reorder columns when
    // the base table or the rolling windows changed since the last build.
    await tx.exec(`DROP VIEW IF EXISTS ${quoteIdentifier(view)}`);
    const sql = featureViewSql({
      quotedTable: quoteIdentifier(table),
      quotedBaseColumns: info.columns.map((c) => quoteCatalogName(c.name)),
      rollingWindows: windows,
    });
    await tx.exec(`CREATE VIEW ${quoteIdentifier(view)} AS ${sql}`);
    return { table, view, columns, descriptions: featureDescriptions(windows), holidays };
  });
};
