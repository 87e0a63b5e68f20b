/** The counts behind a data-quality profile of one game of a long data table. */
import { NotFoundError } from '@nflab/contracts';
import type { Queryable } from '../db.js';
import { requirePanelTable } from '../catalog.js';
import { DEFAULT_DATA_SCOPE, type DataScope } from '../sql/data-tables.js';
import { quoteIdentifier, quoteRelation } from '../sql/identifiers.js';

/** What {@link readTableProfile} counts for one game. */
export interface TableProfileCounts {
  readonly rows: number;
  readonly series: number;
  /** First and last ds as text; null when every ds is NULL. */
  readonly dsFrom: string | null;
  readonly dsTo: string | null;
  /** NULLs per column (loto left out). */
  readonly nulls: Record<string, number>;
  /** Distinct values per column (loto left out). */
  readonly distinct: Record<string, number>;
  /** The distinct draw days ('YYYY-MM-DD') when ds is a DATE; null for any other ds type. */
  readonly drawDays: string[] | null;
}

/**
 * Rows, series, date range, NULLs and distinct values per column and the distinct draw days of
 * game `loto` in data table `table` (checked against `scope`); NotFoundError when it has no rows.
 */
export const readTableProfile = async (
  db: Queryable,
  table: string,
  loto: string,
  scope: DataScope = DEFAULT_DATA_SCOPE,
): Promise<TableProfileCounts> => {
  const info = await requirePanelTable(db, table, ['loto', 'unique_id', 'ds'], scope);
  const from = quoteRelation(info);
  const columns = info.columns.filter((column) => column.name !== 'loto');
  const perColumn = columns
    .map((column, i) => {
      const name = quoteIdentifier(column.name, 'column');
      return `count(*) - count(${name}) AS n${i}, count(DISTINCT ${name}) AS d${i}`;
    })
    .join(', ');
  const { rows } = await db.query<Record<string, number | string | null>>(
    `SELECT count(*)::int AS rows, count(DISTINCT unique_id)::int AS series,
            min(ds)::text AS ds_from, max(ds)::text AS ds_to, ${perColumn}
       FROM ${from} WHERE loto = $1`,
    [loto],
  );
  const stats = rows[0] ?? {};
  if (Number(stats.rows) === 0) {
    throw new NotFoundError(`table ${JSON.stringify(table)} has no rows for loto ${JSON.stringify(loto)}`);
  }
  const nulls: Record<string, number> = {};
  const distinct: Record<string, number> = {};
  columns.forEach((column, i) => {
    nulls[column.name] = Number(stats[`n${i}`]);
    distinct[column.name] = Number(stats[`d${i}`]);
  });
  const isDate = info.columns.find((column) => column.name === 'ds')?.dataType === 'date';
  const drawDays = isDate
    ? (
        await db.query<{ day: string }>(`SELECT DISTINCT ds::text AS day FROM ${from} WHERE loto = $1`, [
          loto,
        ])
      ).rows.map((row) => row.day)
    : null;
  return {
    rows: Number(stats.rows),
    series: Number(stats.series),
    dsFrom: stats.ds_from === null || stats.ds_from === undefined ? null : String(stats.ds_from),
    dsTo: stats.ds_to === null || stats.ds_to === undefined ? null : String(stats.ds_to),
    nulls,
    distinct,
    drawDays,
  };
};
