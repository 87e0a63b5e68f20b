/**
 * `nflab data features`: derived exogenous columns over a draws table, kept as a VIEW so draws
 * imported later get their features without another build.
 */
import { ConfigError, ConflictError } from '@nflab/contracts';
import { isoToUtcMs } from '../calendar/iso-date.js';
import type { Db } from '../db.js';
import {
  DEFAULT_DATA_SCOPE,
  findDataTable,
  quoteDataTable,
  requireDataTable,
  validateDataTableName,
  type DataScope,
} from '../sql/data-tables.js';
import { quoteRelation, validateIdentifier } from '../sql/identifiers.js';
import { likeMatches } from '../sql/like-pattern.js';
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
  /** Which relations are data: the table and the view must both be data tables. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
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

const resolveView = (table: string, view: string | undefined, scope: DataScope): string => {
  const name = validateIdentifier(view ?? `${table}_features`, 'table');
  if (name === table)
    throw new ConfigError(`view must differ from the table it reads, got ${JSON.stringify(name)}`);
  if (name === JP_HOLIDAYS_TABLE)
    throw new ConfigError(`view must not be named ${JP_HOLIDAYS_TABLE}, which the lab keeps`);
  if (!likeMatches(scope.pattern, name)) {
    throw new ConfigError(
      `view ${JSON.stringify(name)} must match ${scope.pattern} like its table ${JSON.stringify(table)}, so data pickers list it`,
    );
  }
  return validateDataTableName(name, scope);
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
  const scope = options.scope ?? DEFAULT_DATA_SCOPE;
  const table = validateDataTableName(options.table, scope);
  const view = resolveView(table, options.view, scope);
  const windows = resolveWindows(options.rollingWindows);
  const columns = featureColumns(windows);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  isoToUtcMs(today, 'today');

  return db.transaction(async (tx) => {
    const info = await requireDataTable(tx, table, scope);
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
    const existing = await findDataTable(tx, view, scope);
    if (existing?.kind === 'table')
      throw new ConflictError(`${JSON.stringify(view)} is a table; the feature view would replace it`);

    const { rows } = await tx.query<{ min_ds: string | null; max_ds: string | null }>(
      `SELECT MIN(ds)::date::text AS min_ds, MAX(ds)::date::text AS max_ds FROM ${quoteRelation(info)}`,
    );
    const span = rows[0];
    const holidays = await refreshHolidayTable(
      tx,
      holidayYears({ minDs: span?.min_ds ?? undefined, maxDs: span?.max_ds ?? undefined, today }),
    );
    // DROP + CREATE rather than CREATE OR REPLACE: the latter cannot drop or reorder columns when
    // the base table or the rolling windows changed since the last build.
    await tx.exec(`DROP VIEW IF EXISTS ${quoteDataTable(view, scope)}`);
    const sql = featureViewSql({
      quotedTable: quoteRelation(info),
      quotedBaseColumns: info.columns.map((c) => quoteCatalogName(c.name)),
      rollingWindows: windows,
    });
    await tx.exec(`CREATE VIEW ${quoteDataTable(view, scope)} AS ${sql}`);
    return { table, view, columns, descriptions: featureDescriptions(windows), holidays };
  });
};
