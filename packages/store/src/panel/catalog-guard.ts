/**
 * Lets the panel statement carry its own check that the catalog facts it was built from still
 * hold, so a loader that remembers a table's columns reads a panel in one round trip instead of
 * two (a catalog lookup, then the data). The check compares the same facts findTable reports:
 * every column's name, printed type and whether it is a number, in order.
 */
import type { TableInfo } from '../sql/identifiers.js';
import { quoteRelation } from '../sql/identifiers.js';

/** The table's columns as one text; the guard's SQL builds the same text from the live catalog. */
export const columnSignature = (info: TableInfo): string =>
  info.columns.map((c) => `${c.name}\t${c.dataType}\t${c.numeric}`).join('\n');

/** A guard over `info`'s table: SQL taking the parameters `$first` and `$first+1`, and their values. */
// to_regclass of a schema-qualified name (data tables) does not consult the search path.
export const catalogGuard = (info: TableInfo, first: number): { sql: string; params: string[] } => ({
  // An uncommon-but-legal tab or newline in a column name can at worst make a changed table look
  // unchanged to this check; the statement then reads it as before, as an unguarded load would.
  sql: `(SELECT coalesce(string_agg(
            a.attname || E'\\t' || format_type(a.atttypid, a.atttypmod) || E'\\t' ||
            (t.typcategory IN ('N', 'B'))::text, E'\\n' ORDER BY a.attnum), '')
          FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = to_regclass($${first}) AND a.attnum > 0 AND NOT a.attisdropped) = $${first + 1}`,
  params: [quoteRelation(info), columnSignature(info)],
});
