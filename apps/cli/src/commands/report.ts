/**
 * `nflab report run|sweep|compare ID [--format html|pdf] [--out FILE]`: makes a report as the web
 * app's Report button does (the server's report module: self-contained HTML, or PDF through
 * Debian's Chromium), archives it in nf_reports with its SHA-256 (audited as `cli:<os user>`) and
 * writes the file. `nflab report list` shows the archive; `nflab report get ID` writes one back.
 * Arguments are parsed with the API's schemas, so the CLI and the API refuse the same input.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  analysisParamsSchema,
  createReportRequestSchema,
  createSweepReportRequestSchema,
  listReportsQuerySchema,
  NotFoundError,
  parseInput,
  reportParamsSchema,
  runParamsSchema,
  sweepParamsSchema,
} from '@nflab/contracts';
import type { ReportTarget as Target } from '@nflab/server';
import { findReportFile, listReports, type ReportItemRow } from '@nflab/store';
import { auditCli, osUser } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

const number = (value: string): number => Number(value);

/** Makes, archives and writes the target's report; prints where and its SHA-256. */
const make = async (command: Command, target: Target, format: 'html' | 'pdf', out?: string) => {
  const ctx = contextFrom(command);
  const { makeReport, PdfRenderer, reportDownload } = await import('@nflab/server');
  await ctx.withDb(async (db) => {
    const row = await makeReport(db, target, {
      format,
      pdf: new PdfRenderer(),
      createdBy: `cli:${osUser()}`,
    });
    const file = (await findReportFile(db, Number(row.id))) as NonNullable<
      Awaited<ReturnType<typeof findReportFile>>
    >;
    const path = out ?? reportDownload({ ...row, id: Number(row.id) }).fileName;
    await writeFile(path, file.body);
    await auditCli(ctx, db, {
      action: 'report.create',
      entity: 'report',
      entityId: String(row.id),
      details: { kind: row.kind, format, sha256: row.sha256, file: path },
    });
    ctx.out.result(
      { ...row, file: path },
      () =>
        `report ${row.id} (${row.kind}, ${format}, ${row.bytes} bytes) written to ${path}\nsha256 ${row.sha256}`,
    );
  });
};

const FORMAT_OPTION = ['--format <format>', 'html or pdf', 'html'] as const;
const OUT_OPTION = [
  '--out <file>',
  'where to write it (default: nflab-<kind>-report-<id>.<format>)',
] as const;

/** Registers `nflab report`. */
export const reportCommand = (program: Command): void => {
  const report = program
    .command('report')
    .description("make a run's, a sweep's or a comparison's report (self-contained HTML or PDF), archived");
  report
    .command('run <id>')
    .description(
      "a run's report: spec, metrics against the naive baselines with significance, forecast vs actual, trials, resources",
    )
    .option(...FORMAT_OPTION)
    .option(...OUT_OPTION)
    .action(async (id: string, options: { format: string; out?: string }, command: Command) => {
      const params = parseInput(runParamsSchema, { id }, 'argument');
      const { format } = parseInput(createReportRequestSchema, { format: options.format }, 'option');
      await make(command, { kind: 'run', runId: params.id }, format, options.out);
    });
  report
    .command('sweep <id>')
    .description("a sweep's report: its leaderboard with the multiple-comparison-corrected verdict")
    .option(...FORMAT_OPTION)
    .option(...OUT_OPTION)
    .option('--metric <id>', 'mae, mse, rmse, mape, smape or mase', 'mae')
    .option('--correction <method>', 'holm, bonferroni, bh or by', 'holm')
    .option('--alpha <level>', 'significance level', number, 0.05)
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const params = parseInput(sweepParamsSchema, { id }, 'argument');
      const { out, ...rest } = options;
      const { format, ...settings } = parseInput(createSweepReportRequestSchema, rest, 'option');
      await make(command, { kind: 'sweep', sweepId: params.id, settings }, format, out as string | undefined);
    });
  report
    .command('compare <analysis>')
    .description(
      'the report of a stored comparison (nflab analyze compare stores one; nflab analyze list finds it)',
    )
    .option(...FORMAT_OPTION)
    .option(...OUT_OPTION)
    .action(async (analysis: string, options: { format: string; out?: string }, command: Command) => {
      const params = parseInput(analysisParamsSchema, { id: analysis }, 'argument');
      const { format } = parseInput(createReportRequestSchema, { format: options.format }, 'option');
      await make(command, { kind: 'compare', analysisId: params.id }, format, options.out);
    });
  report
    .command('list')
    .description('archived reports, newest first')
    .option('--run <id>', "only this run's")
    .option('--sweep <id>', "only this sweep's")
    .option('--analysis <id>', "only this comparison's")
    .option('--limit <n>', 'at most n (default 50, at most 200)')
    .action(async (options: Record<string, string | undefined>, command: Command) => {
      const query = parseInput(
        listReportsQuerySchema,
        Object.fromEntries(
          Object.entries({
            run_id: options['run'],
            sweep_id: options['sweep'],
            analysis_id: options['analysis'],
            limit: options['limit'],
          }).filter(([, v]) => v !== undefined),
        ),
        'option',
      );
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const items = await listReports(db, {
          runId: query.run_id,
          sweepId: query.sweep_id,
          analysisId: query.analysis_id,
          limit: query.limit,
        });
        ctx.out.result({ items }, () =>
          items.length === 0
            ? 'no reports'
            : formatTable(items.map(listed), [
                'id',
                'kind',
                'format',
                'title',
                'bytes',
                'sha256',
                'created_at',
              ]),
        );
      });
    });
  report
    .command('get <id>')
    .description('write an archived report back to a file, byte for byte')
    .option(...OUT_OPTION)
    .action(async (id: string, options: { out?: string }, command: Command) => {
      const params = parseInput(reportParamsSchema, { id }, 'argument');
      const ctx = contextFrom(command);
      const { reportDownload } = await import('@nflab/server');
      await ctx.withDb(async (db) => {
        const file = await findReportFile(db, params.id);
        if (file === undefined)
          throw new NotFoundError(`report ${params.id} does not exist (nflab report list lists them)`);
        const path = options.out ?? reportDownload({ ...file, id: Number(file.id) }).fileName;
        await writeFile(path, file.body);
        ctx.out.result(
          { id: params.id, file: path, sha256: file.sha256 },
          () => `report ${params.id} written to ${path}`,
        );
      });
    });
};

const listed = (row: ReportItemRow) => ({
  ...row,
  sha256: row.sha256?.slice(0, 12) ?? '',
  created_at: row.created_at.toISOString(),
});
