/** Queuing a model operation on a finished run from the CLI, working it, and printing its run. */
import type { Command } from 'commander';
import { TrainingError, type ModelOperationInput } from '@nflab/contracts';
import { runSummariesById, type Queryable } from '@nflab/store';
import { auditCli } from './audit.js';
import { contextFrom } from './context.js';
import { renderRuns } from './run-summary.js';
import { loadRunner, workQueue } from './work.js';

/** What a finished operation prints besides its run: JSON fields to add and text to append. */
export type OperationReport = (db: Queryable, runId: string) => Promise<{ data: object; text: string }>;

/**
 * Queues one model operation on a finished run and, unless detached, works the queue until it is
 * done; then prints the run (and what `report` adds once it finished).
 */
export const operate = async (
  command: Command,
  parentRunId: string,
  operation: ModelOperationInput,
  options: { readonly detach: boolean; readonly report?: OperationReport },
) => {
  const ctx = contextFrom(command);
  await ctx.withDb(async (db) => {
    const runner = await loadRunner();
    const { runId } = await runner.submitModelOperation(db, new runner.RunQueue(db), parentRunId, operation);
    await auditCli(ctx, db, {
      action: `run.${operation.kind}`,
      entity: 'run',
      entityId: parentRunId,
      details: { child_run_id: runId },
    });
    ctx.out.info(`queued ${operation.kind} run ${runId} (parent ${parentRunId})`);
    if (!options.detach) await workQueue(ctx, db, { parallel: 1, exitWhenIdle: true });
    const runs = await runSummariesById(db, [runId]);
    const run = runs[0];
    const extra = run?.status === 'finished' && options.report ? await options.report(db, runId) : undefined;
    ctx.out.result(extra ? { ...run, ...extra.data } : run, () =>
      extra ? `${renderRuns(runs)}\n\n${extra.text}` : renderRuns(runs),
    );
    if (!options.detach && run?.status !== 'finished')
      throw new TrainingError(`run ${runId} ${run?.status ?? 'is missing'}: ${run?.error_message ?? ''}`);
  });
};
