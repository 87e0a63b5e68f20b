/**
 * The one statement that reads a whole panel. It returns one row per series, in unique_id order:
 * the series id, its row count, and each column of the series as one comma-joined text in ds
 * order. Shipping a column as one value instead of one value per row is what makes a 10k-row panel
 * cheap: per-row protocol decoding dominated the cost on both drivers (PGlite most of all).
 */
import type { ColumnInfo, TableInfo } from '../sql/identifiers.js';
import { quoteIdentifier } from '../sql/identifiers.js';
import { catalogGuard } from './catalog-guard.js';

/** How a loaded column is encoded in the result row. */
export type ColumnEncoding = 'number' | 'text';

/** A column the panel query reads, with how it comes back. */
export interface QueryColumn {
  readonly column: ColumnInfo;
  readonly encoding: ColumnEncoding;
}

/** How `ds` comes back: day numbers since 1970-01-01 for DATE, joined text or a text array otherwise. */
export type DsEncoding = 'epoch-days' | 'joined' | 'array';

/** The encoding the panel query uses for a `ds` column of this type. */
export const dsEncoding = (ds: ColumnInfo): DsEncoding => {
  if (ds.dataType === 'date') return 'epoch-days';
  // Numbers and timestamps never contain a comma, so they can be joined; free text needs an array.
  return ds.numeric || ds.dataType.startsWith('timestamp') ? 'joined' : 'array';
};

// DATE as a day number: cheaper to print than to_char and, unlike ::text, independent of DateStyle.
const dsAggregate = (ds: ColumnInfo): string => {
  switch (dsEncoding(ds)) {
    case 'epoch-days':
      return `string_agg((ds - DATE '1970-01-01')::text, ',')`;
    case 'joined':
      return ds.numeric
        ? `string_agg(ds::text, ',')`
        : `string_agg(to_char(ds, 'YYYY-MM-DD"T"HH24:MI:SS'), ',')`;
    case 'array':
      return 'array_agg(ds::text)';
  }
};

// NULL becomes '' (read back as NaN); booleans as 0/1.
const columnAggregate = ({ column, encoding }: QueryColumn): string => {
  const name = quoteIdentifier(column.name, 'column');
  if (encoding === 'text') return `array_agg(${name}::text)`;
  const value = column.dataType === 'boolean' ? `${name}::int::text` : `${name}::text`;
  return `string_agg(coalesce(${value}, ''), ',')`;
};

/**
 * SQL and parameters of the panel statement. Result columns: uid, n, ds, c0, c1, …; one row per
 * series. With `guardedBy`, the statement returns no rows unless the table's columns are still
 * the ones in that catalog snapshot.
 */
export const panelQuery = (options: {
  /** The relation as SQL text, already quoted (and schema-qualified for data tables). */
  readonly from: string;
  readonly ds: ColumnInfo;
  readonly columns: readonly QueryColumn[];
  readonly loto: string;
  readonly uniqueIds?: readonly string[];
  readonly guardedBy?: TableInfo;
}): { sql: string; params: unknown[] } => {
  const { from, ds, columns, loto, uniqueIds, guardedBy } = options;
  const params: unknown[] = [loto];
  let where = 'loto = $1';
  if (uniqueIds !== undefined) {
    params.push(uniqueIds);
    where += ` AND unique_id::text = ANY($${params.length}::text[])`;
  }
  if (guardedBy !== undefined) {
    // Uncorrelated, so the server evaluates it once and skips the scan when it is false.
    const guard = catalogGuard(guardedBy, params.length + 1);
    params.push(...guard.params);
    where += ` AND ${guard.sql}`;
  }
  // Only the columns read: should the server have to sort (a table without the long index),
  // it sorts narrow rows.
  const inner = ['ds', ...columns.map(({ column }) => quoteIdentifier(column.name, 'column'))].join(', ');
  // Grouping the (unique_id, ds)-ordered rows by series gives the counts from the same scan as the
  // columns (a separate GROUP BY scan for the counts cost ~2 ms of a ~10 ms statement), and the
  // aggregates read each group in its ds order: the long table's index order, so no sort.
  const sql = `
    SELECT uid, count(*)::int AS n, ${dsAggregate(ds)} AS ds${columns.map((c, i) => `, ${columnAggregate(c)} AS c${i}`).join('')}
    FROM (SELECT unique_id::text COLLATE "C" AS uid, ${inner} FROM ${from} WHERE ${where} ORDER BY 1, ds) s
    GROUP BY uid ORDER BY uid`;
  return { sql, params };
};
