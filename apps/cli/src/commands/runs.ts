import type { Command } from 'commander';
import {
  ConfigError,
  NotFoundError,
  parseInput,
  parseTagAssignment,
  updateRunTagsRequestSchema,
} from '@nflab/contracts';
import { findRunByIdText, latestRunSummaries, listRunTags, updateRunTags } from '@nflab/store';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { renderRuns } from '../run-summary.js';

const integer = (value: string): number => Number.parseInt(value, 10);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const collect = (value: string, list: string[]): string[] => [...list, value];

const renderTags = (tags: Record<string, string>): string =>
  Object.keys(tags).length === 0
    ? '(no tags)'
    : Object.entries(tags)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n');

/** `key=value` arguments as the tags to set; a ConfigError names the one that is not. */
const assignments = (args: readonly string[]): Record<string, string> => {
  const set: Record<string, string> = {};
  for (const arg of args) {
    const parsed = parseTagAssignment(arg);
    if ('error' in parsed) throw new ConfigError(`tags: ${parsed.error}; write key=value (or --remove key)`);
    set[parsed.key] = parsed.value;
  }
  return set;
};

/** `nflab runs ls|show`: what ran, with its numbers. */
export const runsCommand = (program: Command): void => {
  const runs = program.command('runs').description('recorded runs');
  runs
    .command('ls')
    .description('the latest runs with their metrics next to the historic-average baseline')
    .option('--status <status>', 'queued, running, finished, failed or cancelled')
    .option('--limit <n>', 'rows', integer, 20)
    .option('--tag <key[=value]>', 'only runs with this tag (and value)')
    .action(async (options: { status?: string; limit: number; tag?: string }, command: Command) => {
      const ctx = contextFrom(command);
      const at = options.tag?.indexOf('=') ?? -1;
      const tag =
        options.tag === undefined
          ? undefined
          : at < 0
            ? { key: options.tag }
            : { key: options.tag.slice(0, at), value: options.tag.slice(at + 1) };
      await ctx.withDb(async (db) => {
        const rows = await latestRunSummaries(db, {
          limit: options.limit,
          ...(options.status ? { status: options.status } : {}),
          ...(tag === undefined ? {} : { tag }),
        });
        ctx.out.result(rows, () => renderRuns(rows));
      });
    });
  runs
    .command('tag <id> [key=value...]')
    .description('set tags on a run (key=value) and remove others (--remove key); prints its tags')
    .option('--remove <key>', 'remove this tag (repeatable)', collect, [])
    .action(async (id: string, args: string[], options: { remove: string[] }, command: Command) => {
      const ctx = contextFrom(command);
      if (!UUID.test(id)) throw new NotFoundError(`"${id}" is not a run id (a UUID)`);
      await ctx.withDb(async (db) => {
        const noChange = args.length === 0 && options.remove.length === 0;
        if (noChange) {
          const run = await findRunByIdText(db, id.toLowerCase());
          if (run === undefined) throw new NotFoundError(`run ${id} does not exist`);
          const tags = await listRunTags(db, run.id);
          ctx.out.result({ id: run.id, tags }, () => renderTags(tags));
          return;
        }
        const changes = parseInput(
          updateRunTagsRequestSchema,
          { set: assignments(args), remove: options.remove },
          'tags',
        );
        const tags = await updateRunTags(db, id.toLowerCase(), changes);
        await auditCli(ctx, db, {
          action: 'run.tag',
          entity: 'run',
          entityId: id.toLowerCase(),
          details: { set: Object.keys(changes.set), removed: changes.remove },
        });
        ctx.out.result({ id: id.toLowerCase(), tags }, () => renderTags(tags));
      });
    });
  runs
    .command('show <id>')
    .description('every recorded column of one run')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      await ctx.withDb(async (db) => {
        const run = await findRunByIdText(db, id);
        if (run === undefined) throw new NotFoundError(`run ${id} does not exist`);
        ctx.out.result(run, () => JSON.stringify(run, null, 2));
      });
    });
};
