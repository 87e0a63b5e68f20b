/**
 * `nflab registry ls|show|promote|stage|alias|archive|card|compare`: the model registry the API and MLflow
 * clients share. Like `nflab user`, the CLI acts with the database's own credentials (there is no
 * sign-in to check a role against), so the API's admin-only rule for prod does not apply here;
 * every change is audited as `cli:<os user>`, and `show` lists who moved what when.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  ConfigError,
  NotFoundError,
  REGISTRY_HISTORY_LIMIT,
  REGISTRY_STAGE_IDS,
  parseInput,
  promoteRequestSchema,
  registryAliasParamsSchema,
  registryCardQuerySchema,
  registryCompareQuerySchema,
  registryStageRequestSchema,
  registryVersionParamsSchema,
} from '@nflab/contracts';
import {
  aliasComparison,
  compareAliases,
  modelCardFile,
  moveRegistryStage,
  parseRegistryReference,
  pointRegistryAlias,
  promoteRun,
  registeredModelDto,
  requireRegistryAlias,
  requireRegistryVersion,
  resolveRegistryReference,
} from '@nflab/server';
import {
  auditEntryDto,
  dataScopeFromEnv,
  deleteRegistryAlias,
  findRegistryVersionByAlias,
  getRegisteredModelRow,
  listRegisteredModelRows,
  listRegistryVersions,
  registryHistory,
  type ModelRegistryRow,
} from '@nflab/store';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

const versionRows = (rows: readonly ModelRegistryRow[]) =>
  rows.map((row) => ({
    version: row.version,
    stage: row.stage,
    aliases: row.aliases.join(','),
    run: row.run_id ?? row.source ?? '',
    updated: row.updated_at,
  }));

/** Moves a version to a stage and audits it; shared by `stage` and `archive`. */
const moveStage = async (
  command: Command,
  { name, version, stage }: { name: string; version: string; stage: string },
): Promise<void> => {
  const ctx = contextFrom(command);
  const params = parseInput(registryVersionParamsSchema, { name, version }, 'arguments');
  const body = parseInput(registryStageRequestSchema, { stage }, 'arguments');
  const moved = await ctx.withDb(async (db) => {
    const row = await requireRegistryVersion(db, params.name, params.version);
    const after = await moveRegistryStage(db, row, { stage: body.stage });
    await auditCli(ctx, db, {
      action: 'model.stage',
      entity: 'registered_model',
      entityId: row.name,
      details: { version: row.version, from: row.stage, to: body.stage },
    });
    return after;
  });
  ctx.out.result(moved, () => `${moved.name} version ${moved.version} is now ${moved.stage}`);
};

/** Registers `nflab registry`. */
export const modelRegistryCommand = (program: Command): void => {
  const registry = program
    .command('registry')
    .description('registered models: versions, stages (dev, staging, prod, archived) and aliases');

  registry
    .command('ls')
    .description('every registered model with its newest version per stage and its aliases')
    .action(async (_options: unknown, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const items = await withDb(async (db) => {
        const models = await listRegisteredModelRows(db);
        const versions = await listRegistryVersions(db);
        return models.map((model) =>
          registeredModelDto(
            model,
            versions.filter((version) => version.name === model.name),
          ),
        );
      });
      out.result({ items }, () =>
        formatTable(
          items.map((item) => ({
            name: item.name,
            versions: item.versions,
            latest: item.latest_version,
            stages: Object.entries(item.stages)
              .map(([stage, version]) => `${stage}:${version}`)
              .join(' '),
            aliases: Object.entries(item.aliases)
              .map(([alias, version]) => `${alias}:${version}`)
              .join(' '),
          })),
        ),
      );
    });

  registry
    .command('show <name>')
    .description('a registered model: its versions, newest first, and who moved what when')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const detail = await withDb(async (db) => {
        const model = await getRegisteredModelRow(db, name);
        if (model === undefined)
          throw new NotFoundError(`registered model ${JSON.stringify(name)} does not exist`);
        const versions = await listRegistryVersions(db, [name]);
        const history = await registryHistory(db, name, REGISTRY_HISTORY_LIMIT);
        return {
          model: registeredModelDto(model, versions),
          entries: [...versions].reverse(),
          history: history.map(auditEntryDto),
        };
      });
      out.result(detail, () =>
        [
          `${detail.model.name}${detail.model.description === null ? '' : ` — ${detail.model.description}`}`,
          formatTable(versionRows(detail.entries)),
          'history:',
          formatTable(
            detail.history.map((entry) => ({
              at: entry.at,
              actor: entry.actor,
              action: entry.action,
              outcome: entry.outcome,
              what: Object.entries(entry.details)
                .filter(([key]) => ['version', 'from', 'to', 'stage', 'alias'].includes(key))
                .map(([key, value]) => `${key}=${String(value)}`)
                .join(' '),
            })),
          ),
        ].join('\n'),
      );
    });

  registry
    .command('promote <run>')
    .description(
      "register a finished run's model as the next version of a name (or move its version) at a stage",
    )
    .option('--stage <stage>', `one of ${REGISTRY_STAGE_IDS.join(', ')}`, 'dev')
    .option('--alias <alias>', 'point this alias (e.g. champion) at the version')
    .option('--name <name>', "registered model name (default: the run's model name)")
    .action(
      async (run: string, options: { stage: string; alias?: string; name?: string }, command: Command) => {
        const ctx = contextFrom(command);
        const body = parseInput(promoteRequestSchema, options, 'options');
        const entry = await ctx.withDb(async (db) => {
          const promoted = await promoteRun(db, { runId: run, ...body });
          await auditCli(ctx, db, {
            action: 'model.promote',
            entity: 'run',
            entityId: run,
            details: {
              stage: body.stage,
              name: promoted.name,
              version: promoted.version,
              ...(body.alias === undefined ? {} : { alias: body.alias }),
            },
          });
          return promoted;
        });
        ctx.out.result(
          entry,
          () => `${entry.name} version ${entry.version} (run ${entry.run_id ?? '-'}) is ${entry.stage}`,
        );
      },
    );

  registry
    .command('stage <name> <version> <stage>')
    .description(`move a version to a stage: ${REGISTRY_STAGE_IDS.join(', ')}`)
    .action(async (name: string, version: string, stage: string, _options: unknown, command: Command) =>
      moveStage(command, { name, version, stage }),
    );

  registry
    .command('archive <name> <version>')
    .description('retire a version (stage archived); its aliases stay until moved or removed')
    .action(async (name: string, version: string, _options: unknown, command: Command) =>
      moveStage(command, { name, version, stage: 'archived' }),
    );

  registry
    .command('alias <name> <alias> [version]')
    .description('point an alias (e.g. champion) at a version, taking it from any other; --delete removes it')
    .option('--delete', 'remove the alias instead')
    .action(
      async (
        name: string,
        alias: string,
        version: string | undefined,
        options: { delete?: boolean },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const params = parseInput(registryAliasParamsSchema, { name, alias }, 'arguments');
        if (options.delete === true) {
          const removed = await ctx.withDb(async (db) => {
            const row = await requireRegistryAlias(db, params.name, params.alias);
            await deleteRegistryAlias(db, params.name, params.alias);
            await auditCli(ctx, db, {
              action: 'model.alias_delete',
              entity: 'registered_model',
              entityId: params.name,
              details: { alias: params.alias, version: row.version },
            });
            return row;
          });
          ctx.out.result(
            { name, alias, version: removed.version, deleted: true },
            () => `removed ${name}@${alias}`,
          );
          return;
        }
        const target = parseInput(registryVersionParamsSchema, { name, version }, 'arguments');
        const entry = await ctx.withDb(async (db) => {
          const row = await requireRegistryVersion(db, target.name, target.version);
          const previous = await findRegistryVersionByAlias(db, params.name, params.alias);
          const moved = await pointRegistryAlias(db, row, params.alias);
          await auditCli(ctx, db, {
            action: 'model.alias',
            entity: 'registered_model',
            entityId: row.name,
            details: { alias: params.alias, version: row.version, from: previous?.version ?? null },
          });
          return moved;
        });
        ctx.out.result(entry, () => `${name}@${alias} is version ${entry.version}`);
      },
    );

  registry
    .command('card <version>')
    .description(
      "a version's model card (name@alias or name/version): data, training, metrics against the naive baselines, whether it beats chance",
    )
    .option('--format <format>', 'md or html', 'md')
    .option('--out <file>', 'write it to this file instead of printing it')
    .action(async (reference: string, options: { format: string; out?: string }, command: Command) => {
      const ctx = contextFrom(command);
      const { format } = parseInput(registryCardQuerySchema, { format: options.format }, 'options');
      const target = parseRegistryReference(reference);
      if (target === undefined)
        throw new ConfigError(
          `arguments.version: ${JSON.stringify(reference)} is not name@alias or name/version (e.g. nhits-loto6@champion, nhits-loto6/3)`,
        );
      const card = await ctx.withDb(async (db) =>
        modelCardFile(db, await resolveRegistryReference(db, target), format, { scope: dataScopeFromEnv() }),
      );
      if (options.out === undefined) {
        ctx.out.result({ reference, format, card: card.body }, () => card.body.trimEnd());
        return;
      }
      await writeFile(options.out, card.body);
      ctx.out.result(
        { reference, format, file: options.out, bytes: Buffer.byteLength(card.body) },
        () => `model card of ${reference} written to ${options.out}`,
      );
    });

  registry
    .command('compare <name>')
    .description(
      'champion vs challenger: two aliases on their most recent shared forecast points, with paired tests and an A/B power analysis',
    )
    .option('--champion <alias>', 'the incumbent alias', 'champion')
    .option('--challenger <alias>', 'the alias compared with it', 'challenger')
    .option('--recent <points>', 'the most recent shared points compared', '100')
    .option('--alpha <alpha>', 'significance level', '0.05')
    .option('--power <power>', 'wanted power of the A/B test', '0.8')
    .option('--mae-difference <mae>', 'MAE difference the power analysis is for (default: the observed one)')
    .action(
      async (
        name: string,
        options: {
          champion: string;
          challenger: string;
          recent: string;
          alpha: string;
          power: string;
          maeDifference?: string;
        },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const { maeDifference, ...rest } = options;
        const query = parseInput(
          registryCompareQuerySchema,
          { ...rest, ...(maeDifference === undefined ? {} : { mae_difference: maeDifference }) },
          'options',
        );
        const result = await ctx.withDb((db) => compareAliases(db, aliasComparison(name, query)));
        const pair = result.comparison.pairs[0];
        ctx.out.result(result, () =>
          [
            formatTable(
              [result.champion, result.challenger].map((side) => ({
                alias: side.alias,
                version: side.version,
                run: side.run_id,
                mae: side.mae,
              })),
            ),
            `points ${result.points} (${result.from} – ${result.to}); Diebold–Mariano p ${String(pair?.dieboldMariano?.pValue ?? '—')}, paired t p ${String(pair?.tTest.pValue ?? '—')}, Wilcoxon p ${String(pair?.wilcoxon.pValue ?? '—')}`,
            `power: ${String(result.power.pointsNeeded ?? '—')} points needed to detect an MAE difference of ${result.power.maeDifference} at power ${result.power.power} and α ${result.power.alpha}; these ${result.points} points have power ${String(result.power.achievedPower ?? '—')}`,
            result.verdict,
          ].join('\n'),
        );
      },
    );
};
