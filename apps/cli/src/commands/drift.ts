/**
 * `nflab drift check TABLE --reference FROM..TO --current FROM..TO`: data drift of a table's
 * columns between two windows and the drawn numbers' uniformity, stored as one check in
 * nf_drift_metrics (the runner's `checkTableDrift`, which scheduled monitors will call too).
 */
import type { Command } from 'commander';
import { ConfigError, P_ADJUST_METHODS, type PAdjustMethod } from '@nflab/contracts';
import { dataScopeFromEnv, listGames, openDataReader, type Queryable } from '@nflab/store';
import type { DriftWindow, TableDriftSummary } from '@nflab/runner';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';
import { loadRunner } from '../work.js';
import { correction, list, positive, probability } from './drift-flags.js';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const isIsoDay = (value: string): boolean => {
  const match = ISO_DAY.exec(value);
  if (!match) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
};

/** Parses `FROM..TO` (inclusive ISO days) for the flag `flag`, naming it in every error. */
export const parseWindow = (flag: string, value: string): DriftWindow => {
  const parts = value.split('..');
  if (parts.length !== 2) {
    throw new ConfigError(
      `${flag} must be FROM..TO (ISO days, e.g. 2020-01-01..2020-12-31), got ${JSON.stringify(value)}`,
    );
  }
  const [from, to] = parts as [string, string];
  for (const day of [from, to]) {
    if (!isIsoDay(day)) throw new ConfigError(`${flag}: ${JSON.stringify(day)} is not an ISO day YYYY-MM-DD`);
  }
  if (from > to) throw new ConfigError(`${flag}: ${from} is after ${to}`);
  return { from, to };
};

const pText = (p: number): string => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/** The game to check: `--loto`, else the table's only game. */
const gameOf = async (data: Queryable, table: string, loto: string | undefined): Promise<string> => {
  if (loto !== undefined) return loto;
  const games = await listGames(data, table, dataScopeFromEnv());
  if (games.length === 1) return games[0]!;
  throw new ConfigError(
    `${table} holds ${games.length === 0 ? 'no games' : `games ${games.join(', ')}`}; choose one with --loto`,
  );
};

/** The check as text: a verdict line, the columns' tests, the uniformity test, what was skipped. */
export const renderDrift = (s: TableDriftSummary): string => {
  const tests = s.columns.length + (s.uniformity ? 1 : 0);
  const lines = [
    `${s.table} ${s.loto}: reference ${s.reference.from}..${s.reference.to} vs current ${s.current.from}..${s.current.to}`,
    `${s.drifted.length} of ${tests} tests drifted (${s.thresholds.pAdjust} p < ${s.thresholds.pValue}` +
      `${s.thresholds.psi === null ? '' : ` and PSI ≥ ${s.thresholds.psi}`}); check ${s.checkId}`,
    '',
    formatTable(
      s.columns.map((c) => ({
        series: c.uniqueId,
        column: c.column,
        kind: c.kind,
        test: c.drift.kind === 'continuous' ? 'ks' : 'chi2',
        p: pText(c.pValue),
        [`${s.thresholds.pAdjust} p`]: pText(c.adjustedPValue),
        psi: c.psi.toFixed(3),
        drifted: c.drifted ? 'yes' : 'no',
      })),
    ),
  ];
  if (s.uniformity) {
    const u = s.uniformity;
    lines.push(
      '',
      `numbers against the uniform draw (${u.current.draws} draws): χ² = ${u.current.correctedStatistic.toFixed(2)}, ` +
        `dof ${u.current.dof}, p = ${pText(u.current.pValue)}, ${s.thresholds.pAdjust} p = ${pText(u.adjustedPValue)}` +
        `${u.reference ? ` (reference window p = ${pText(u.reference.pValue)})` : ''}: ${u.drifted ? 'drifted' : 'consistent with a fair draw'}`,
    );
  }
  for (const skip of s.skipped)
    lines.push(`skipped ${skip.uniqueId ?? ''}${skip.uniqueId ? ' ' : ''}${skip.column}: ${skip.reason}`);
  return lines.join('\n');
};

/** Registers `nflab drift check`. */
export const driftCommand = (program: Command): void => {
  const drift = program
    .command('drift')
    .description('data drift of tables between a reference and a current window');
  drift
    .command('check <table>')
    .description(
      "each column's drift per series (KS or chi-square, PSI, JS, KL, Wasserstein) and the drawn numbers' uniformity",
    )
    .requiredOption('--reference <from..to>', 'reference window, inclusive ISO days')
    .requiredOption('--current <from..to>', 'current window, inclusive ISO days')
    .option('--loto <game>', "the game (default: the table's only game)")
    .option('--series <ids>', 'comma list of series (default: all of the game)', list)
    .option('--columns <names>', 'comma list of columns (default: y and every hist_/futr_ column)', list)
    .option('--p-value <p>', 'a test drifts below this corrected p-value', probability, 0.01)
    .option('--psi <x>', 'and only when its PSI is at least this (default: no PSI condition)', positive)
    .option('--correction <method>', `p-value correction: ${P_ADJUST_METHODS.join(', ')}`, correction, 'holm')
    .action(async (table: string, options: Record<string, unknown>, command: Command) => {
      const reference = parseWindow('--reference', String(options.reference));
      const current = parseWindow('--current', String(options.current));
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const reader = await openDataReader();
        try {
          const data = reader ?? db;
          const loto = await gameOf(data, table, options.loto as string | undefined);
          const runner = await loadRunner();
          const summary = await runner.checkTableDrift({
            db: { lab: db, data, scope: dataScopeFromEnv() },
            table,
            loto,
            reference,
            current,
            ...(options.series === undefined ? {} : { uniqueIds: options.series as string[] }),
            ...(options.columns === undefined ? {} : { columns: options.columns as string[] }),
            thresholds: {
              pValue: options.pValue as number,
              pAdjust: options.correction as PAdjustMethod,
              ...(options.psi === undefined ? {} : { psi: options.psi as number }),
            },
          });
          // Recorded as the server records POST /api/data/tables/:table/drift.
          await auditCli(ctx, db, {
            action: 'data.drift_check',
            entity: 'table',
            entityId: table,
            details: { loto, check_id: summary.checkId, drifted: summary.drifted.length },
          });
          ctx.out.result(summary, () => renderDrift(summary));
        } finally {
          await reader?.close();
        }
      });
    });
};
