import type { Command } from 'commander';
import { migrate, migrationStatus } from '@nflab/store';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

const MIGRATION_COLUMNS = ['version', 'name', 'appliedAt'];

/** `nflab db migrate | status`: the lab's schema. */
export const dbCommand = (program: Command): void => {
  const db = program.command('db').description('the lab database: schema migrations');

  db.command('migrate')
    .description('apply pending schema migrations (safe to run again; concurrent runs apply each once)')
    .action(async (_options, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const applied = await withDb((handle) => migrate(handle), { migrate: false });
      out.result({ applied }, () =>
        applied.length === 0
          ? 'schema is up to date'
          : `applied ${applied.length} migration(s):\n${formatTable(
              applied.map((m) => ({ ...m })),
              MIGRATION_COLUMNS,
            )}`,
      );
    });

  db.command('status')
    .description('list applied and pending migrations')
    .action(async (_options, command: Command) => {
      const { out, withDb } = contextFrom(command);
      const status = await withDb(
        async (handle) => ({ kind: handle.kind, ...(await migrationStatus(handle)) }),
        {
          migrate: false,
        },
      );
      out.result(status, () =>
        [
          `database: ${status.kind}`,
          `applied:\n${formatTable(
            status.applied.map((m) => ({ ...m })),
            [...MIGRATION_COLUMNS, 'issue'],
          )}`,
          `pending:\n${formatTable(
            status.pending.map((m) => ({ ...m })),
            ['version', 'name'],
          )}`,
        ].join('\n'),
      );
    });
};
