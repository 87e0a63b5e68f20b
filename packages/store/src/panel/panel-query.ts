/**
 * The one statement that reads a whole panel. It returns a single row: the series ids with their
 * row counts, and each column as one comma-joined text, in (unique_id, ds) order. Shipping a
 * column as one value instead of one value per row is what makes a 10k-row panel cheap: per-row
 * protocol decoding dominated the cost on both drivers (PGlite most of all).
 */
import type { ColumnInfo } from '../sql/identifiers.js';
import { quoteIdentifier } from '../sql/identifiers.js';

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

/** SQL and parameters of the panel statement. Result columns: ids, counts, n, ds, c0, c1, …. */
export const panelQuery = (options: {
  readonly table: string;
  readonly ds: ColumnInfo;
  readonly columns: readonly QueryColumn[];
  readonly loto: string;
  readonly uniqueIds?: readonly string[];
}): { sql: string; params: unknown[] } => {
  const { table, ds, columns, loto, uniqueIds } = options;
  const from = `${quoteIdentifier(table)} WHERE loto = $1${uniqueIds === undefined ? '' : ' AND unique_id::text = ANY($2::text[])'}`;
  const order = 'unique_id::text COLLATE "C"';
  // Only the columns read: should the server have to sort (a table without the long index),
  // it sorts narrow rows.
  const inner = [
    'unique_id',
    'ds',
    ...columns.map(({ column }) => quoteIdentifier(column.name, 'column')),
  ].join(', ');
  // One statement, so the series counts and the columns come from the same snapshot. The outer
  // aggregates read the subquery in its order: the long table's index order, so no sort.
  const sql = `
    WITH series AS (SELECT unique_id::text AS uid, count(*)::int AS rows FROM ${from} GROUP BY 1)
    SELECT (SELECT array_agg(uid ORDER BY uid COLLATE "C") FROM series) AS ids,
           (SELECT array_agg(rows ORDER BY uid COLLATE "C") FROM series) AS counts,
           count(*)::int AS n, ${dsAggregate(ds)} AS ds${columns.map((c, i) => `, ${columnAggregate(c)} AS c${i}`).join('')}
    FROM (SELECT ${inner} FROM ${from} ORDER BY ${order}, ds) s`;
  return { sql, params: uniqueIds === undefined ? [loto] : [loto, uniqueIds] };
};
