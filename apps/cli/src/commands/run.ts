import type { Command } from 'commander';
import { ConfigError, TrainingError, parseTagAssignment } from '@nflab/contracts';
import { runSummariesById } from '@nflab/store';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { readSpecFile } from '../spec-file.js';
import { renderRuns } from '../run-summary.js';
import { loadRunner, workQueue } from '../work.js';

const integer = (value: string): number => Number.parseInt(value, 10);

/** Commander collector of a repeatable `--tag key=value` into key → value (later ones win). */
export const collectTag = (text: string, tags: Record<string, string>): Record<string, string> => {
  const parsed = parseTagAssignment(text);
  if ('error' in parsed) throw new ConfigError(`--tag: ${parsed.error}; write --tag key=value`);
  return { ...tags, [parsed.key]: parsed.value };
};

/** The spec with `--tag`s laid over its own `tags` (the run spec's checks then apply to both). */
const withTags = (spec: unknown, tags: Record<string, string>): unknown => {
  if (Object.keys(tags).length === 0 || typeof spec !== 'object' || spec === null || Array.isArray(spec))
    return spec;
  const own = (spec as { tags?: unknown }).tags;
  return { ...spec, tags: { ...(typeof own === 'object' && own !== null ? own : {}), ...tags } };
};

/** `nflab run SPEC`: queue one run and, unless --detach, work the queue here until it is done. */
export const runCommand = (program: Command): void => {
  program
    .command('run <spec>')
    .description('run one experiment from a run spec JSON file (recorded in nf_model_runs)')
    .option('--detach', 'only queue the run; `nflab worker` processes execute it')
    .option('--retries <n>', 'extra attempts after a failure', integer, 0)
    .option('--tag <key=value>', 'label the run (repeatable; over the spec’s own tags)', collectTag, {})
    .action(
      async (
        file: string,
        options: { detach?: boolean; retries: number; tag: Record<string, string> },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const spec = withTags(await readSpecFile(file), options.tag);
        await ctx.withDb(async (db) => {
          const runner = await loadRunner();
          const { runId } = await runner.submitRun(db, new runner.RunQueue(db), spec, {
            retries: options.retries,
          });
          await auditCli(ctx, db, { action: 'run.start', entity: 'run', entityId: runId });
          ctx.out.info(`queued run ${runId}`);
          // The loop works until the queue is empty, this run included (and anything queued before it).
          if (!options.detach) await workQueue(ctx, db, { parallel: 1, exitWhenIdle: true });
          const runs = await runSummariesById(db, [runId]);
          ctx.out.result(runs[0], () => renderRuns(runs));
          if (!options.detach && runs[0]?.status !== 'finished')
            throw new TrainingError(
              `run ${runId} ${runs[0]?.status ?? 'is missing'}: ${runs[0]?.error_message ?? ''}`,
            );
        });
      },
    );
};
