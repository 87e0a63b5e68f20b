/**
 * Stores draws in the long table: one transaction, idempotent (rows already stored with the same
 * values are skipped), and a stored draw with different values is a conflict, never overwritten.
 * The importer and the synthesiser share this one path.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, ConflictError, NotFoundError, type GameId } from '@nflab/contracts';
import type { Db, Queryable } from '../db.js';
import {
  DEFAULT_DATA_SCOPE,
  findDataTable,
  quoteDataTable,
  validateDataTableName,
  type DataScope,
} from '../sql/data-tables.js';
import { decodeText } from './decode.js';
import type { Draw } from './draw.js';
import {
  createLongTableSql,
  DEFAULT_LONG_TABLE,
  drawToRows,
  LONG_COLUMNS,
  LONG_COLUMN_NAMES,
  VALUE_COLUMNS,
  type LongRow,
} from './long-format.js';
import { requireGame } from './official-layout.js';
import { checkDrawOrder, type Rejection } from './draw-order.js';
import { parseDrawsCsv } from './parse-draws.js';
import { drawProblems } from './validate-draw.js';

/** Called as rows are written: `done` of `total` draws stored so far (0 first), for progress bars. */
export type ProgressCallback = (done: number, total: number) => void;

/** What an import or save did. */
export interface ImportReport {
  /** Valid draws considered (stored now or already present). */
  readonly draws: number;
  /** Long-table rows inserted. */
  readonly rowsAdded: number;
  /** Long-table rows already present with the same values. */
  readonly rowsSkipped: number;
  /** Lines (or, for in-memory draws, 1-based positions) that were not imported, with why. */
  readonly rejected: Rejection[];
}

/** Bad rows made an import fail as a whole; `rejected` lists every one of them. */
export class RejectedRowsError extends ConfigError {
  constructor(
    readonly source: string,
    readonly rejected: readonly Rejection[],
  ) {
    const shown = rejected.slice(0, 20).map((r) => `line ${r.line}: ${r.reason}`);
    const more = rejected.length > shown.length ? `; … and ${rejected.length - shown.length} more` : '';
    super(
      `${source}: ${rejected.length} bad row(s), nothing imported (skip bad rows to import the rest) — ` +
        `${shown.join('; ')}${more}`,
    );
  }
}

// Draws per INSERT: big enough that statement overhead vanishes, small enough for a smooth progress bar.
const DRAWS_PER_BATCH = 500;

const INSERT_TYPES = LONG_COLUMNS.map(([, type]) => `${type.toLowerCase()}[]`);

const ensureTable = async (tx: Queryable, table: string, scope: DataScope): Promise<void> => {
  const info = await findDataTable(tx, table, scope);
  if (info === undefined) {
    await tx.exec(createLongTableSql(table, scope.schema));
    return;
  }
  // An existing table may have another shape (a seed table with extra columns is fine).
  if (info.kind === 'view')
    throw new ConfigError(`cannot write draws into ${JSON.stringify(table)}: it is a view`);
  const missing = LONG_COLUMN_NAMES.filter((name) => !info.columns.some((c) => c.name === name));
  if (missing.length > 0) {
    throw new ConfigError(`table ${JSON.stringify(table)} lacks long-format column(s) ${missing.join(', ')}`);
  }
};

type JsonRow = Record<string, unknown>;

// The first key column and the first differing value column of a clash, named in the error.
const conflictError = (table: string, clash: { old: JsonRow; new: JsonRow }): ConflictError => {
  const column = VALUE_COLUMNS.find(
    (name) => JSON.stringify(clash.old[name] ?? null) !== JSON.stringify(clash.new[name] ?? null),
  );
  const old = column === undefined ? undefined : clash.old[column];
  const fresh = column === undefined ? undefined : clash.new[column];
  return new ConflictError(
    `${String(clash.new.loto)} draw ${String(clash.new.num)} is already in ${JSON.stringify(table)} with different ` +
      `values: unique_id ${String(clash.new.unique_id)} column ${column ?? '?'} is ${JSON.stringify(old ?? null)} ` +
      `there but ${JSON.stringify(fresh ?? null)} in the new data`,
  );
};

const KEY_MATCH = 't.loto = u.loto AND t.num = u.num AND t.unique_id = u.unique_id';

/**
 * Inserts the rows not yet stored and reports the first stored row whose values differ, in one
 * statement. The rows travel once, as one array per column (UNNEST): a fixed parameter count
 * however many rows, and no stored rows shipped back to compare (PGlite decodes rows slowly).
 * The INSERT's CTE and the clash lookup share one snapshot, so the lookup sees only rows that
 * were there before; a clash makes the caller throw, rolling the insert back.
 */
const upsertBatch = async (
  tx: Queryable,
  name: string,
  rows: readonly LongRow[],
): Promise<{ added: number; clash: { old: JsonRow; new: JsonRow } | null }> => {
  const arrays = LONG_COLUMN_NAMES.map((_, c) => rows.map((row) => row[c] ?? null));
  const params = INSERT_TYPES.map((type, i) => `$${i + 1}::${type}`).join(', ');
  const columns = LONG_COLUMN_NAMES.join(', ');
  const values = (alias: string): string => VALUE_COLUMNS.map((column) => `${alias}.${column}`).join(', ');
  const { rows: result } = await tx.query<{ added: number; clash: { old: JsonRow; new: JsonRow } | null }>(
    `WITH u AS (SELECT * FROM unnest(${params}) AS u(${columns})),
          ins AS (INSERT INTO ${name} (${columns}) SELECT ${columns} FROM u
                  WHERE NOT EXISTS (SELECT 1 FROM ${name} t WHERE ${KEY_MATCH}) RETURNING 1)
     SELECT (SELECT count(*)::int FROM ins) AS added,
            (SELECT json_build_object('old', row_to_json(t), 'new', row_to_json(u))
             FROM u JOIN ${name} t ON ${KEY_MATCH}
             WHERE (${values('t')}) IS DISTINCT FROM (${values('u')})
             ORDER BY u.num, u.unique_id LIMIT 1) AS clash`,
    arrays,
  );
  return { added: result[0]?.added ?? 0, clash: result[0]?.clash ?? null };
};

const writeGame = async (
  tx: Queryable,
  options: { table: string; scope: DataScope; draws: readonly Draw[]; onProgress: (draws: number) => void },
): Promise<{ added: number; skipped: number }> => {
  const { table, draws } = options;
  const name = quoteDataTable(table, options.scope);
  let added = 0;
  let skipped = 0;
  for (let start = 0; start < draws.length; start += DRAWS_PER_BATCH) {
    const batch = draws.slice(start, start + DRAWS_PER_BATCH);
    const rows = batch.flatMap(drawToRows);
    const result = await upsertBatch(tx, name, rows);
    if (result.clash !== null) throw conflictError(table, result.clash);
    added += result.added;
    skipped += rows.length - result.added;
    options.onProgress(batch.length);
  }
  return { added, skipped };
};

const groupByGame = (draws: readonly Draw[]): Map<GameId, Draw[]> => {
  const groups = new Map<GameId, Draw[]>();
  for (const draw of draws) {
    const group = groups.get(draw.game);
    if (group === undefined) groups.set(draw.game, [draw]);
    else group.push(draw);
  }
  return groups;
};

// Draw number → date of the draws of `loto` already stored, for the order check.
const storedDates = async (tx: Queryable, name: string, loto: string): Promise<Map<number, string>> => {
  const { rows } = await tx.query<{ num: number; ds: string }>(
    `SELECT DISTINCT num, ds::text AS ds FROM ${name} WHERE loto = $1 AND ds IS NOT NULL`,
    [loto],
  );
  return new Map(rows.map((row) => [Number(row.num), row.ds]));
};

/** What writeDraws stores and how it treats a draw out of order with the table. */
interface WriteOptions {
  readonly table: string;
  readonly scope: DataScope;
  readonly draws: readonly Draw[];
  /** Line (or position) of each draw, for rejections. */
  readonly lines: readonly number[];
  /** Rejections made before writing; reported with the order check's. */
  readonly rejected: readonly Rejection[];
  /** Store the draws in order and report the others instead of failing. */
  readonly skipBadRows: boolean;
  /** Names the input in a RejectedRowsError. */
  readonly source: string;
  readonly onProgress?: ProgressCallback;
}

// Inside the transaction: the table's draws cannot change between the order check and the write.
const keepInOrder = async (
  tx: Queryable,
  options: WriteOptions,
  byGame: ReadonlyMap<GameId, { draws: Draw[]; lines: number[] }>,
): Promise<{ draws: Draw[]; rejected: Rejection[] }> => {
  const name = quoteDataTable(options.table, options.scope);
  const kept: Draw[] = [];
  const rejected: Rejection[] = [];
  for (const [game, group] of byGame) {
    const stored = await storedDates(tx, name, game);
    const result = checkDrawOrder(group.draws, group.lines, stored, JSON.stringify(options.table));
    kept.push(...result.draws);
    rejected.push(...result.rejected);
  }
  if (rejected.length > 0 && !options.skipBadRows) throw new RejectedRowsError(options.source, rejected);
  return { draws: kept, rejected };
};

const writeDraws = async (db: Db, options: WriteOptions): Promise<ImportReport> => {
  const { table, scope, onProgress } = options;
  validateDataTableName(table, scope);
  const byGame = new Map<GameId, { draws: Draw[]; lines: number[] }>();
  options.draws.forEach((draw, i) => {
    const group = byGame.get(draw.game) ?? { draws: [], lines: [] };
    group.draws.push(draw);
    group.lines.push(options.lines[i] ?? i + 1);
    byGame.set(draw.game, group);
  });
  let done = 0;
  let total = options.draws.length;
  onProgress?.(0, total);
  const totals = await db.transaction(async (tx) => {
    await ensureTable(tx, table, scope);
    const ordered = await keepInOrder(tx, options, byGame);
    total = ordered.draws.length;
    let added = 0;
    let skipped = 0;
    for (const gameDraws of groupByGame(ordered.draws).values()) {
      const result = await writeGame(tx, {
        table,
        scope,
        draws: gameDraws,
        onProgress: (count) => {
          done += count;
          onProgress?.(done, total);
        },
      });
      added += result.added;
      skipped += result.skipped;
    }
    // PGlite has no autovacuum, and a server's may run minutes later: without fresh statistics
    // the planner guesses a few dozen rows per game and sorts a panel instead of scanning the index.
    if (added > 0) await tx.exec(`ANALYZE ${quoteDataTable(table, scope)}`);
    return { added, skipped, draws: ordered.draws.length, rejected: ordered.rejected };
  });
  const rejected = [...options.rejected, ...totals.rejected].sort((a, b) => a.line - b.line);
  return { draws: totals.draws, rowsAdded: totals.added, rowsSkipped: totals.skipped, rejected };
};

/** Options of {@link importDraws}. */
export interface ImportDrawsOptions {
  /** Long table to write (a data table of `scope`); created when missing. @default 'nf_loto_final' */
  readonly table?: string;
  /** Which relations are data: the table must be one. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
  /** Every draw must be of this game. */
  readonly game: GameId;
  readonly draws: readonly Draw[];
  /** Store the valid draws and report the invalid ones instead of failing as a whole. @default false */
  readonly skipBadRows?: boolean;
  readonly onProgress?: ProgressCallback;
}

/**
 * Validates `draws` against `game`'s rules and stores them in one transaction. An invalid draw,
 * or one whose date does not increase with its number (among the draws and against the table),
 * fails the whole call (RejectedRowsError, nothing written; positions are 1-based) unless
 * `skipBadRows`; a draw stored earlier with different values is a ConflictError.
 */
export const importDraws = async (db: Db, options: ImportDrawsOptions): Promise<ImportReport> => {
  const { table = DEFAULT_LONG_TABLE, skipBadRows = false } = options;
  const game = requireGame(options.game);
  const valid: Draw[] = [];
  const validLines: number[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<number>();
  options.draws.forEach((draw, i) => {
    const problems = drawProblems(game, draw);
    if (seen.has(draw.num)) problems.push(`draw ${draw.num} appears twice`);
    if (problems.length > 0) rejected.push({ line: i + 1, reason: problems.join('; ') });
    else {
      seen.add(draw.num);
      valid.push(draw);
      validLines.push(i + 1);
    }
  });
  if (rejected.length > 0 && !skipBadRows) throw new RejectedRowsError(`${game.id} draws`, rejected);
  return writeDraws(db, {
    table,
    scope: options.scope ?? DEFAULT_DATA_SCOPE,
    draws: valid,
    lines: validLines,
    rejected,
    skipBadRows,
    source: `${game.id} draws`,
    onProgress: options.onProgress,
  });
};

/** Options of {@link saveDraws}. */
export interface SaveDrawsOptions {
  /** Long table to write (a data table of `scope`); created when missing. @default 'nf_loto_final' */
  readonly table?: string;
  /** Which relations are data: the table must be one. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
  /** Draws of any games; each must satisfy its own game's rules. */
  readonly draws: readonly Draw[];
  readonly onProgress?: ProgressCallback;
}

/** Stores draws made in code (the synthesiser's): same checks and same path as an import, never skipping. */
export const saveDraws = async (db: Db, options: SaveDrawsOptions): Promise<ImportReport> => {
  const byGame = groupByGame(options.draws);
  for (const [gameId, draws] of byGame) {
    const game = requireGame(gameId);
    const rejected: Rejection[] = [];
    draws.forEach((draw, i) => {
      const problems = drawProblems(game, draw);
      if (problems.length > 0) rejected.push({ line: i + 1, reason: problems.join('; ') });
    });
    if (rejected.length > 0) throw new RejectedRowsError(`${gameId} draws`, rejected);
    if (new Set(draws.map((draw) => draw.num)).size !== draws.length) {
      throw new ConfigError(`${gameId} draws repeat a draw number; each num must appear once per game`);
    }
  }
  return writeDraws(db, {
    table: options.table ?? DEFAULT_LONG_TABLE,
    scope: options.scope ?? DEFAULT_DATA_SCOPE,
    draws: options.draws,
    lines: [],
    rejected: [],
    skipBadRows: false,
    source: 'draws',
    onProgress: options.onProgress,
  });
};

/** Options of {@link importFile}. */
export interface ImportFileOptions {
  /** Path of an official results CSV (Shift_JIS or UTF-8). */
  readonly file: string;
  readonly game: GameId;
  /** Long table to write (a data table of `scope`); created when missing. @default 'nf_loto_final' */
  readonly table?: string;
  /** Which relations are data: the table must be one. @default DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
  /** Import the good lines and report the bad ones instead of rejecting the file. @default false */
  readonly skipBadRows?: boolean;
  readonly onProgress?: ProgressCallback;
}

/**
 * Imports an official results CSV into the long table in one transaction. A bad line — including
 * a draw whose date does not increase with its number, within the file or against the draws the
 * table holds — rejects the whole file (RejectedRowsError with every line number and reason,
 * nothing written) unless `skipBadRows`; re-importing adds nothing, a longer file adds only its
 * new draws.
 */
export const importFile = async (db: Db, options: ImportFileOptions): Promise<ImportReport> => {
  const { file, table = DEFAULT_LONG_TABLE, skipBadRows = false, scope = DEFAULT_DATA_SCOPE } = options;
  validateDataTableName(table, scope);
  const bytes = await readFile(file).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`results file ${JSON.stringify(file)} does not exist`, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot read results file ${JSON.stringify(file)}: ${reason}`, { cause: error });
  });
  const parsed = parseDrawsCsv(decodeText(bytes).text, options.game);
  if (parsed.rejected.length > 0 && !skipBadRows) throw new RejectedRowsError(file, parsed.rejected);
  return writeDraws(db, {
    table,
    scope,
    draws: parsed.draws,
    lines: parsed.lines,
    rejected: parsed.rejected,
    skipBadRows,
    source: file,
    onProgress: options.onProgress,
  });
};
