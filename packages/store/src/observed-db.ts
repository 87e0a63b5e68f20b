/**
 * Query timing: a {@link Db} whose every statement (in a transaction too) reports how long it
 * took, under a bounded statement kind — never the SQL text, which carries generated placeholder
 * lists and would make one series per distinct statement.
 */
import type { Db, Queryable, QueryOptions, QueryResult } from './db.js';

/** What a timed statement did: the kinds of {@link statementKind}. */
export const STATEMENT_KINDS = [
  'select',
  'insert',
  'update',
  'delete',
  'ddl',
  'transaction',
  'other',
] as const;

/** One statement kind. */
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/** One timed statement. */
export interface QuerySample {
  readonly kind: StatementKind;
  /** From the call to its answer, pool wait included: the latency the lab saw. */
  readonly seconds: number;
  /** False when the statement failed (the driver's error still reaches the caller). */
  readonly ok: boolean;
}

const KEYWORD_KIND: Readonly<Record<string, StatementKind>> = {
  select: 'select',
  values: 'select',
  table: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  merge: 'update',
  create: 'ddl',
  alter: 'ddl',
  drop: 'ddl',
  truncate: 'ddl',
  comment: 'ddl',
  grant: 'ddl',
  revoke: 'ddl',
  begin: 'transaction',
  commit: 'transaction',
  rollback: 'transaction',
  savepoint: 'transaction',
  release: 'transaction',
};

const DML = new Set(['select', 'insert', 'update', 'delete', 'merge', 'values']);

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const OPEN = 40; // (
const CLOSE = 41; // )

/**
 * Words of `sql` outside comments and quotes, each with its parenthesis depth — enough to find the
 * statement a `WITH` list leads to: the first data keyword at depth 0 (CTE bodies sit in parentheses).
 */
function* words(sql: string): Generator<{ word: string; depth: number }> {
  const after = (closing: string, from: number): number => {
    const at = sql.indexOf(closing, from);
    return at === -1 ? sql.length : at + closing.length;
  };
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') i = after('\n', i);
    else if (c === '/' && sql[i + 1] === '*') i = after('*/', i + 2);
    else if (c === "'" || c === '"') i = after(c, i + 1);
    else {
      WORD.lastIndex = i;
      const word = WORD.exec(sql);
      if (word !== null) {
        yield { word: word[0].toLowerCase(), depth };
        i += word[0].length;
      } else {
        const code = sql.charCodeAt(i);
        if (code === OPEN) depth += 1;
        else if (code === CLOSE) depth -= 1;
        i += 1;
      }
    }
  }
}

const classify = (sql: string): StatementKind => {
  let leading: string | undefined;
  for (const { word, depth } of words(sql)) {
    if (leading === undefined) {
      leading = word;
      if (word !== 'with') return KEYWORD_KIND[word] ?? 'other';
    } else if (depth === 0 && DML.has(word)) return KEYWORD_KIND[word] ?? 'other';
  }
  return 'other';
};

// Most statements are constant texts: their kinds are remembered (a WITH takes a scan of its whole
// text). Bounded in count and in text length, because generated statements (placeholder lists of
// bulk inserts) differ by row count and can be long; those start with their keyword anyway.
const KIND_CACHE_SIZE = 1024;
const KIND_CACHE_MAX_TEXT = 4096;
const kinds = new Map<string, StatementKind>();

/** The kind of the (first) statement of `sql`: its leading keyword, or for `WITH …` the statement it leads to. */
export const statementKind = (sql: string): StatementKind => {
  const known = kinds.get(sql);
  if (known !== undefined) return known;
  const kind = classify(sql);
  if (sql.length > KIND_CACHE_MAX_TEXT) return kind;
  if (kinds.size >= KIND_CACHE_SIZE) kinds.clear();
  kinds.set(sql, kind);
  return kind;
};

const timed = async <T>(sql: string, observe: (sample: QuerySample) => void, run: () => Promise<T>) => {
  const started = performance.now();
  let ok = false;
  try {
    const result = await run();
    ok = true;
    return result;
  } finally {
    observe({ kind: statementKind(sql), seconds: (performance.now() - started) / 1000, ok });
  }
};

const observeQueryable = (target: Queryable, observe: (sample: QuerySample) => void): Queryable => ({
  query: <Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<Row>> =>
    timed(sql, observe, () => target.query<Row>(sql, params, options)),
  exec: (sql: string): Promise<void> => timed(sql, observe, () => target.exec(sql)),
});

/**
 * `db` with every statement it runs — through `query`, `exec` or inside `transaction` — reported
 * to `observe` when it ends. Everything else (kind, pool stats, close, extra fields) is `db`'s own.
 */
export const observeQueries = <D extends Db>(db: D, observe: (sample: QuerySample) => void): D => ({
  ...db,
  ...observeQueryable(db, observe),
  transaction: <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
    db.transaction((tx) => fn(observeQueryable(tx, observe))),
});
