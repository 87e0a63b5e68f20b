/** Queuing a run from the CLI (a model operation on a finished run, an ensemble), working it, and printing it. */
import type { Command } from 'commander';
import { TrainingError, type ModelOperationInput } from '@nflab/contracts';
import { runSummariesById, type Db, type Queryable } from '@nflab/store';
import { parseRegistryReference, resolveRegistryReference, runOfVersion } from '@nflab/server';
import { auditCli, type CliAuditEvent } from './audit.js';
import { contextFrom } from './context.js';
import { renderRuns } from './run-summary.js';
import { loadRunner, workQueue } from './work.js';

/** What a finished operation prints besides its run: JSON fields to add and text to append. */
export type OperationReport = (db: Queryable, runId: string) => Promise<{ data: object; text: string }>;

/** The runner module, loaded once a command queues or works runs. */
export type Runner = Awaited<ReturnType<typeof loadRunner>>;

/** How a command queues its one run, and what it records and says once the run is queued. */
export interface Submission {
  /** Queues the run; throws the runner's ConfigError/NotFoundError for input it refuses. */
  readonly submit: (runner: Runner, db: Db) => Promise<{ readonly runId: string }>;
  /** The audit entry of the queued run. */
  readonly audit: (runId: string) => CliAuditEvent;
  /** The line printed once the run is queued. */
  readonly queued: (runId: string) => string;
}

/**
 * Queues one run and, unless detached, works the queue until it is done; then prints the run (and
 * what `report` adds once it finished). A worked run that did not finish fails the command.
 */
export const submitAndWork = async (
  command: Command,
  submission: Submission,
  options: { readonly detach: boolean; readonly report?: OperationReport },
): Promise<void> => {
  const ctx = contextFrom(command);
  await ctx.withDb(async (db) => {
    const runner = await loadRunner();
    const { runId } = await submission.submit(runner, db);
    await auditCli(ctx, db, submission.audit(runId));
    ctx.out.info(submission.queued(runId));
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

/**
 * Queues one model operation on a finished run as a linked run and, unless detached, works the
 * queue until it is done; then prints the run (and what `report` adds once it finished).
 */
export const operate = (
  command: Command,
  parentRunId: string,
  operation: ModelOperationInput,
  options: { readonly detach: boolean; readonly report?: OperationReport },
): Promise<void> => {
  // A registered version (`nhits-loto6@champion`, `nhits-loto6/3`) stands for the run it serves.
  const reference = parseRegistryReference(parentRunId);
  let parent = parentRunId;
  return submitAndWork(
    command,
    {
      submit: async (runner, db) => {
        if (reference !== undefined) parent = runOfVersion(await resolveRegistryReference(db, reference));
        return runner.submitModelOperation(db, new runner.RunQueue(db), parent, operation);
      },
      audit: (runId) => ({
        action: `run.${operation.kind}`,
        entity: 'run',
        entityId: parent,
        details: {
          child_run_id: runId,
          ...(reference === undefined ? {} : { registered_model: parentRunId }),
        },
      }),
      queued: (runId) =>
        `queued ${operation.kind} run ${runId} (parent ${parent}${reference === undefined ? '' : `, ${parentRunId}`})`,
    },
    options,
  );
};
