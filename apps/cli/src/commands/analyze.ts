/**
 * `nflab analyze leaderboard|compare|exog` (and `importance|shap|list|show`, registered from their
 * own files): a sweep's runs ranked with the naive baselines and a verdict
 * corrected for the number of configurations, and the statistical comparison of runs. Options are
 * parsed with the API's own schemas, so the CLI and the API accept and refuse the same input.
 */
import type { Command } from 'commander';
import {
  compareRunsRequestSchema,
  exogenousAnalysisRequestSchema,
  tableParams,
  leaderboardQuerySchema,
  parseInput,
  sweepParamsSchema,
} from '@nflab/contracts';
import { dataScopeFromEnv, openDataReader } from '@nflab/store';
import type { StoredComparison, StoredExogenousAnalysis, sweepLeaderboard } from '@nflab/runner';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';
import { osUser } from '../audit.js';
import { loadRunner } from '../work.js';
import { storedAnalysisCommands } from './analyze-stored.js';
import { analyzeImportanceCommands } from './model-importance.js';

type LeaderboardResult = Awaited<ReturnType<typeof sweepLeaderboard>>;

const fixed = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined ? '' : value.toFixed(digits);

const pValue = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : value < 1e-4 ? value.toExponential(1) : value.toFixed(4);

/** The leaderboard as a table, its verdict underneath. */
export const renderLeaderboard = (board: LeaderboardResult): string => {
  const rows = board.rows.map((row) =>
    row.kind === 'run'
      ? {
          rank: row.rank,
          run: row.label,
          [board.metric]: fixed(row.value),
          'best baseline': row.bestBaseline ?? '',
          'its value': fixed(row.bestBaselineValue),
          p: pValue(row.pValue),
          [`${board.correction} p`]: pValue(row.adjustedPValue),
          'beats chance': row.beatsChance ? 'yes' : 'no',
        }
      : { rank: row.rank, run: `(baseline) ${row.baseline}`, [board.metric]: fixed(row.value) },
  );
  const unranked = board.unranked.map((run) => `  ${run.label}: ${run.reason}`).join('\n');
  return [
    formatTable(rows, [
      'rank',
      'run',
      board.metric,
      'best baseline',
      'its value',
      'p',
      `${board.correction} p`,
      'beats chance',
    ]),
    ...(unranked ? [`not ranked:\n${unranked}`] : []),
    board.verdict.text,
  ].join('\n\n');
};

/** The comparison's runs and pairwise tests as tables, with the k-run tests' summary. */
/** Which exogenous columns each of two compared runs read alone, and whether that is all that differs. */
const renderExogenousDifference = (difference: NonNullable<StoredComparison['exogenous']>): string => {
  const columns = (only: Record<'futr' | 'hist' | 'stat', readonly string[]>): string =>
    [...only.futr, ...only.hist, ...only.stat].join(', ') || 'none';
  const reads = difference.runs.map((run) => `  ${run.label} alone reads: ${columns(run.only)}`);
  const verdict =
    difference.otherDifferences.length === 0
      ? 'The runs are otherwise identical: the pair’s tests above are the effect of these columns.'
      : `The runs also differ in ${difference.otherDifferences.join(', ')}: the pair’s tests are not these columns’ effect alone.`;
  return ['Exogenous columns:', ...reads, verdict].join('\n');
};

export const renderComparison = ({ comparison: c, cached, exogenous }: StoredComparison): string => {
  const label = new Map(c.runs.map((run) => [run.runId, run.label]));
  const runs = formatTable(
    c.runs.map((run) => ({
      run: run.label,
      [`mean ${c.loss} loss`]: fixed(run.meanLoss),
      'mean rank': fixed(run.meanRank, 2),
      best: run.runId === c.best ? '*' : '',
    })),
  );
  const pairs = formatTable(
    c.pairs.map((pair) => ({
      run: label.get(pair.a) ?? pair.a,
      vs: label.get(pair.b) ?? pair.b,
      difference: fixed(pair.difference.estimate),
      '95% interval': `[${fixed(pair.difference.lower)}, ${fixed(pair.difference.upper)}]`,
      [`DM p (${c.correction})`]: pValue(pair.adjusted.dieboldMariano),
      [`t p (${c.correction})`]: pValue(pair.adjusted.tTest),
      [`Wilcoxon p (${c.correction})`]: pValue(pair.adjusted.wilcoxon),
      "Cliff's delta": fixed(pair.effectSizes.cliffsDelta.value, 3),
    })),
  );
  const dropped = c.dropped.filter((d) => d.notShared + d.missingValues > 0);
  const lines = [
    `${c.points} shared points over ${c.series} series (h = ${c.h})${cached ? ', read back from an earlier identical comparison' : ''}`,
    ...dropped.map(
      (d) =>
        `  ${label.get(d.runId) ?? d.runId}: ${d.notShared} points not shared, ${d.missingValues} without values`,
    ),
    runs,
    pairs,
  ];
  if (c.many !== null) {
    lines.push(
      `Friedman p = ${pValue(c.many.friedman.pValue)} (Kendall's W ${fixed(c.many.friedman.kendallsW, 3)}); ` +
        `Nemenyi critical difference ${fixed(c.many.criticalDifference.criticalDifference, 3)} in mean rank`,
    );
  }
  if (exogenous !== null) lines.push(renderExogenousDifference(exogenous));
  return lines.join('\n\n');
};

/** The exogenous analysis: one row per (series, column) with the strongest evidence first. */
export const renderExogenous = ({ analysis, cached }: StoredExogenousAnalysis): string => {
  const pairs = [...analysis.pairs].sort(
    (a, b) =>
      (a.adjusted.granger.holm ?? 2) - (b.adjusted.granger.holm ?? 2) ||
      (a.granger.selected?.ssrFTest?.pValue ?? 2) - (b.granger.selected?.ssrFTest?.pValue ?? 2),
  );
  const table = formatTable(
    pairs.map((pair) => ({
      series: pair.uniqueId,
      column: pair.column,
      n: pair.n,
      pearson: fixed(pair.pearson.coefficient, 3),
      'pearson p (holm)': pValue(pair.adjusted.pearson.holm),
      spearman: fixed(pair.spearman.coefficient, 3),
      'MI (nats)': fixed(pair.mutualInformation.value, 3),
      'granger lag': pair.granger.selected?.lag ?? '',
      'granger p': pValue(pair.granger.selected?.ssrFTest?.pValue),
      'granger p (holm)': pValue(pair.adjusted.granger.holm),
      'granger p (bh)': pValue(pair.adjusted.granger.bh),
    })),
  );
  const significant = pairs.filter((pair) => (pair.adjusted.granger.holm ?? 1) < 0.05).length;
  const dropped = Object.entries(analysis.droppedRows).filter(([, count]) => count > 0);
  return [
    `${analysis.table} ${analysis.loto}: ${analysis.series.length} series × ${analysis.columns.length} columns${cached ? ' (read back from an earlier identical analysis)' : ''}`,
    ...(dropped.length > 0
      ? [`rows left out for NULLs: ${dropped.map(([id, n]) => `${id} ${n}`).join(', ')}`]
      : []),
    table,
    `Granger-causes its series after Holm's correction over ${analysis.testCounts.granger ?? 0} tests: ${significant} pair${significant === 1 ? '' : 's'}`,
  ].join('\n\n');
};

const number = (value: string): number => Number(value);
const list = (value: string): string[] => value.split(',').filter((item) => item !== '');

/** Registers `nflab analyze …`. */
export const analyzeCommand = (program: Command): void => {
  const analyze = program
    .command('analyze')
    .description(
      'compare runs and rank sweeps with statistical tests, rank exogenous columns, read stored analyses',
    );
  analyze
    .command('leaderboard <sweep>')
    .description("a sweep's runs ranked with the naive baselines, corrected for the number of configurations")
    .option('--metric <id>', 'mae, mse, rmse, mape, smape or mase', 'mae')
    .option('--correction <method>', 'holm, bonferroni, bh or by', 'holm')
    .option('--alpha <level>', 'significance level', number, 0.05)
    .action(async (sweep: string, options: Record<string, unknown>, command: Command) =>
      printLeaderboard(command, sweep, options),
    );
  exogenousCommand(analyze);
  analyze
    .command('compare [runs...]')
    .description('statistical comparison of runs (or of a sweep) on the forecast points they share')
    .option('--sweep <id>', "compare a sweep's runs instead of listed ones")
    .option('--loss <loss>', 'absolute or squared', 'absolute')
    .option('--correction <method>', 'holm, bonferroni, bh or by', 'holm')
    .option('--alpha <level>', 'significance level', number, 0.05)
    .option('--resamples <n>', 'bootstrap resamples per pair', number, 2000)
    .option('--seed <n>', 'bootstrap seed', number, 0)
    .action(async (runs: string[], options: Record<string, unknown>, command: Command) => {
      const { sweep, ...settings } = options;
      const request = parseInput(
        compareRunsRequestSchema,
        { ...settings, ...(sweep === undefined ? { run_ids: runs } : { sweep_id: sweep }) },
        'option',
      );
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const runner = await loadRunner();
        const result = await runner.compareStoredRuns(db, request, { createdBy: `cli:${osUser()}` });
        ctx.out.result(result, () => renderComparison(result));
      });
    });
  analyzeImportanceCommands(analyze);
  storedAnalysisCommands(analyze, {
    compare: (row) =>
      renderComparison({
        analysisId: row.id,
        cached: false,
        comparison: row.result as StoredComparison['comparison'],
        // Read from the runs' specs when compared, not stored: `analyze compare` shows it again.
        exogenous: null,
      }),
    exogenous: (row) =>
      renderExogenous({
        analysisId: row.id,
        cached: false,
        analysis: row.result as StoredExogenousAnalysis['analysis'],
      }),
  });
};

/** Registers `nflab analyze exog`. */
const exogenousCommand = (analyze: Command): void => {
  analyze
    .command('exog <table>')
    .description(
      "a game's hist_/futr_ columns against each series: correlation, mutual information, Granger causality",
    )
    .requiredOption('--loto <game>', 'the game (loto value)')
    .option('--series <ids>', 'comma list of series (default: all of the game)', list)
    .option('--columns <names>', 'comma list of hist_/futr_ columns (default: all)', list)
    .option('--cc-max-lag <k>', 'cross-correlation lags 0..k', number, 10)
    .option('--granger-max-lag <p>', 'Granger lags 1..p', number, 4)
    .option('--criterion <ic>', 'aic or bic: the Granger lag reported', 'aic')
    .action(async (table: string, options: Record<string, unknown>, command: Command) => {
      const params = parseInput(tableParams, { table }, 'argument');
      const body = parseInput(
        exogenousAnalysisRequestSchema,
        {
          loto: options.loto,
          ...(options.series === undefined ? {} : { unique_ids: options.series }),
          ...(options.columns === undefined ? {} : { columns: options.columns }),
          cross_correlation_max_lag: options.ccMaxLag,
          granger_max_lag: options.grangerMaxLag,
          granger_criterion: options.criterion,
        },
        'option',
      );
      const ctx = contextFrom(command);
      // The data reader (NFLAB_DATA_DATABASE_URL) when one is set; else the lab database serves both.
      await ctx.withDb(async (db) => {
        const reader = await openDataReader();
        try {
          const runner = await loadRunner();
          const result = await runner.analyzeExogenousTable(
            { lab: db, data: reader ?? db, scope: dataScopeFromEnv() },
            { table: params.table, ...body },
            { createdBy: `cli:${osUser()}` },
          );
          ctx.out.result(result, () => renderExogenous(result));
        } finally {
          await reader?.close();
        }
      });
    });
};

/** Prints a sweep's leaderboard (shared by `analyze leaderboard` and `sweep leaderboard`). */
export const printLeaderboard = async (
  command: Command,
  sweep: string,
  options: Record<string, unknown>,
): Promise<void> => {
  const { id } = parseInput(sweepParamsSchema, { id: sweep }, 'argument');
  const query = parseInput(leaderboardQuerySchema, options, 'option');
  const ctx = contextFrom(command);
  await ctx.withDb(async (db) => {
    const runner = await loadRunner();
    const board = await runner.sweepLeaderboard(db, id, query);
    ctx.out.result(board, () => renderLeaderboard(board));
  });
};
