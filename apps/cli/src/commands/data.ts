import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, isLabError, NotFoundError, type GameId } from '@nflab/contracts';
import {
  buildFeatures,
  dataScopeFromEnv,
  importFile,
  listGames,
  listSeries,
  listTables,
  previewRows,
  requireGame,
  saveDraws,
  synthesizeDraws,
  type DataScope,
  type ImportReport,
  type Queryable,
  type SeriesSummary,
  type TableEntry,
  validateLikePattern,
} from '@nflab/store';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';
import { createProgressBar } from '../progress.js';

const DEFAULT_TABLE = 'nf_loto_final';

const integerOption =
  (name: string, min: number) =>
  (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new ConfigError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
    }
    return parsed;
  };

const gameOption = (value: string): GameId => requireGame(value).id as GameId;

const describeReport = (report: ImportReport, table: string): string => {
  const lines = [
    `${table}: ${report.draws} draws, ${report.rowsAdded} rows added, ${report.rowsSkipped} already present, ` +
      `${report.rejected.length} rejected`,
  ];
  if (report.rejected.length > 0) lines.push(formatTable(report.rejected.map((r) => ({ ...r }))));
  return lines.join('\n');
};

/** A table with its games and their series, as `nflab data ls` shows it. */
interface TableListing extends TableEntry {
  /** Null when the table is not a long panel table (no `loto`/`unique_id`/`ds`); `note` says why. */
  readonly games: { readonly loto: string; readonly series: SeriesSummary[] }[] | null;
  readonly note?: string;
}

const describeTable = async (
  db: Queryable,
  table: TableEntry,
  loto: string | undefined,
  scope: DataScope,
): Promise<TableListing> => {
  try {
    const games = loto === undefined ? await listGames(db, table.name, scope) : [loto];
    return {
      ...table,
      games: await Promise.all(
        games.map(async (game) => ({ loto: game, series: await listSeries(db, table.name, game, scope) })),
      ),
    };
  } catch (error) {
    // A table that matches the pattern but is not a panel (or lacks the game) is listed, not fatal.
    if (isLabError(error) && (error.code === 'config' || error.code === 'not_found')) {
      return { ...table, games: null, note: error.message };
    }
    throw error;
  }
};

const renderListing = (tables: readonly TableListing[]): string => {
  if (tables.length === 0) return 'no tables match';
  return tables
    .map((table) => {
      const head = `${table.name} (${table.kind})`;
      if (table.games === null) return `${head}\n  ${table.note ?? ''}`;
      const games = table.games.map(
        (game) =>
          `  ${game.loto}: ${game.series.length} series\n` +
          formatTable(
            game.series.map((s) => ({ ...s })),
            ['uniqueId', 'rows', 'start', 'end'],
          )
            .split('\n')
            .map((line) => `    ${line}`)
            .join('\n'),
      );
      return [head, ...games].join('\n');
    })
    .join('\n');
};

/** `nflab data …`: import, synthesise, derive features, list and preview lottery tables. */
export const dataCommand = (program: Command): void => {
  const data = program
    .command('data')
    .description('lottery draw data: import, synthesise, features, list, preview');

  data
    .command('import <file>')
    .description(
      'import an official results CSV (Shift_JIS/cp932 or UTF-8, Japanese headers) into the long table',
    )
    .requiredOption('--game <game>', 'loto6 | loto7 | miniloto | bingo5 | numbers3 | numbers4', gameOption)
    .option('--table <table>', 'long table to write (created when missing)', DEFAULT_TABLE)
    .option('--skip-bad-rows', 'import the good lines and report the bad ones instead of rejecting the file')
    .action(
      async (
        file: string,
        options: { game: GameId; table: string; skipBadRows?: boolean },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const { out, withDb } = ctx;
        const progress = createProgressBar(
          `importing ${options.game}`,
          !out.json && process.stderr.isTTY === true,
        );
        const report = await withDb(async (db) => {
          const imported = await importFile(db, {
            file,
            game: options.game,
            table: options.table,
            skipBadRows: options.skipBadRows === true,
            scope: dataScopeFromEnv(),
            onProgress: (done, total) => progress.update(done, total),
          });
          await auditCli(ctx, db, {
            action: 'data.import',
            entity: 'table',
            entityId: options.table,
            details: {
              file: resolve(file),
              game: options.game,
              rows_added: imported.rowsAdded,
              rejected: imported.rejected.length,
            },
          });
          return imported;
        }).finally(() => progress.finish());
        out.result({ table: options.table, ...report }, () => describeReport(report, options.table));
      },
    );

  data
    .command('synth')
    .description(
      "store synthetic draws that follow the game's real rules (ranges, bonus numbers, draw weekdays, prizes)",
    )
    .requiredOption('--game <game>', 'loto6 | loto7 | miniloto | bingo5 | numbers3 | numbers4', gameOption)
    .requiredOption('--draws <n>', 'how many consecutive draws', integerOption('draws', 1))
    .option(
      '--seed <seed>',
      'seed of the pseudo-random stream (same seed, same draws)',
      integerOption('seed', 0),
      0,
    )
    .option('--start <date>', 'first day (YYYY-MM-DD); default the game’s first real draw')
    .option('--table <table>', 'long table to write (created when missing)', 'nf_loto_synth')
    .action(
      async (
        options: { game: GameId; draws: number; seed: number; start?: string; table: string },
        command: Command,
      ) => {
        const { out, withDb } = contextFrom(command);
        const draws = synthesizeDraws({
          game: options.game,
          draws: options.draws,
          seed: options.seed,
          start: options.start,
        });
        const report = await withDb((db) =>
          saveDraws(db, { table: options.table, draws, scope: dataScopeFromEnv() }),
        );
        out.result({ table: options.table, game: options.game, seed: options.seed, ...report }, () =>
          describeReport(report, options.table),
        );
      },
    );

  data
    .command('features')
    .description(
      'create or replace a view with derived hist_* (earlier draws only), stat_* and futr_* (calendar, Japanese holidays) columns',
    )
    .option('--table <table>', 'draws table in long format', DEFAULT_TABLE)
    .option('--view <view>', 'name of the view (default <table>_features)')
    .option('--rolling <windows>', 'comma-separated window lengths of hist_y_roll_mean_<k>', (value) =>
      value.split(',').map((part) => integerOption('rolling', 1)(part.trim())),
    )
    .action(async (options: { table: string; view?: string; rolling?: number[] }, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const result = await withDb((db) =>
        buildFeatures(db, {
          table: options.table,
          view: options.view,
          rollingWindows: options.rolling,
          scope: dataScopeFromEnv(),
        }),
      );
      out.result(result, () =>
        [
          `view ${result.view} over ${result.table}`,
          `hist: ${result.columns.hist.join(', ')}`,
          `stat: ${result.columns.stat.join(', ')}`,
          `futr: ${result.columns.futr.join(', ')}`,
        ].join('\n'),
      );
    });

  data
    .command('ls')
    .description(
      'list data tables (NFLAB_DATA_TABLES in NFLAB_DATA_SCHEMA, default nf_loto% in public), their games (loto) and series (unique_id)',
    )
    .option('--pattern <pattern>', 'SQL LIKE pattern on table/view names, within the data tables')
    .option('--table <table>', 'only this table')
    .option('--loto <loto>', 'only this game')
    .action(async (options: { pattern?: string; table?: string; loto?: string }, command: Command) => {
      const { out, withDataDb } = contextFrom(command);
      const scope = dataScopeFromEnv();
      const pattern =
        options.pattern === undefined ? undefined : validateLikePattern(options.pattern, '--pattern');
      const tables = await withDataDb(async (db) => {
        const matching = (
          await listTables(db, { pattern: options.table === undefined ? pattern : '%', scope })
        ).filter((table) => options.table === undefined || table.name === options.table);
        if (options.table !== undefined && matching.length === 0) {
          throw new NotFoundError(`table ${JSON.stringify(options.table)} is not a data table that exists`);
        }
        return Promise.all(matching.map((table) => describeTable(db, table, options.loto, scope)));
      });
      out.result({ tables }, () => renderListing(tables));
    });

  data
    .command('preview')
    .description('the first rows of a data table, ordered by loto, unique_id, ds')
    .option('--table <table>', 'data table or view', DEFAULT_TABLE)
    .option('--loto <loto>', 'only this game')
    .option('--limit <n>', 'rows to show (1–1000)', integerOption('limit', 1), 20)
    .action(async (options: { table: string; loto?: string; limit: number }, command: Command) => {
      const { out, withDataDb } = contextFrom(command);
      const scope = dataScopeFromEnv();
      const preview = await withDataDb((db) => previewRows(db, { ...options, scope }));
      out.result(preview, () => formatTable(preview.rows, preview.columns));
    });
};
