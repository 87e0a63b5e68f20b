/**
 * `nflab analyze list --run RUN` and `nflab analyze show ID`: the analyses stored in nf_analyses
 * (comparisons, exogenous analyses) that read a run, and one of them whole. Input is parsed with the
 * API's schemas (`GET /api/runs/:id/analyses`, `GET /api/analyses/:id`), so both refuse the same.
 */
import type { Command } from 'commander';
import {
  analysisParamsSchema,
  NotFoundError,
  parseInput,
  runAnalysesQuerySchema,
  uuidSchema,
} from '@nflab/contracts';
import { findAnalysisById, listRunAnalyses, requireRun, type AnalysisRow } from '@nflab/store';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

const shortIds = (ids: readonly string[]): string => ids.map((id) => id.slice(0, 8)).join(',');

/** How the stored results of each kind print (as the command that computes the kind prints them). */
export type StoredResultRenderers = Readonly<Record<string, (row: AnalysisRow) => string>>;

/** Registers `analyze list` and `analyze show`; a result of a kind without a renderer prints as JSON. */
export const storedAnalysisCommands = (analyze: Command, renderers: StoredResultRenderers): void => {
  analyze
    .command('list')
    .description('the stored analyses (comparisons, exogenous analyses) that read a run, newest first')
    .requiredOption('--run <id>', 'the run')
    .option('--limit <n>', 'at most n analyses (default 50, at most 200)')
    .action(async (options: { run: string; limit?: string }, command: Command) => {
      const runId = parseInput(uuidSchema, options.run, 'option.run');
      const { limit } = parseInput(
        runAnalysesQuerySchema,
        options.limit === undefined ? {} : { limit: options.limit },
        'option',
      );
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        await requireRun(db, runId);
        const items = await listRunAnalyses(db, runId, limit);
        ctx.out.result({ items }, () =>
          items.length === 0
            ? `no stored analysis reads run ${runId}`
            : formatTable(
                items.map((item) => ({
                  ...item,
                  run_ids: shortIds(item.run_ids),
                  created_by: item.created_by ?? '',
                })),
                ['id', 'kind', 'run_ids', 'created_by', 'created_at'],
              ),
        );
      });
    });
  analyze
    .command('show <id>')
    .description('one stored analysis: its inputs and its result, printed as its own command prints it')
    .action(async (id: string, _options: unknown, command: Command) => {
      const params = parseInput(analysisParamsSchema, { id }, 'argument');
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const row = await findAnalysisById(db, params.id);
        if (row === undefined)
          throw new NotFoundError(
            `analysis ${params.id} does not exist (nflab analyze list --run RUN lists them)`,
          );
        ctx.out.result(row, () =>
          [
            `analysis ${row.id}: ${row.kind} of ${shortIds(row.run_ids) || 'no runs'}, stored ${row.created_at.toISOString()}${row.created_by === null ? '' : ` by ${row.created_by}`}`,
            renderers[row.kind]?.(row) ?? JSON.stringify(row.result, null, 2),
          ].join('\n\n'),
        );
      });
    });
};
