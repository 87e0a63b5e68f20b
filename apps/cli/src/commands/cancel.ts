import type { Command } from 'commander';
import { NotFoundError } from '@nflab/contracts';
import { sweepExists } from '@nflab/store';
import { auditCli } from '../audit.js';
import { contextFrom } from '../context.js';
import { loadRunner } from '../work.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `nflab cancel ID`: cancel a run or every unfinished run of a sweep. */
export const cancelCommand = (program: Command): void => {
  program
    .command('cancel <id>')
    .description('cancel a run or a sweep: queued runs at once, running ones at their next heartbeat')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextFrom(command);
      if (!UUID.test(id)) throw new NotFoundError(`"${id}" is not a run or sweep id (a UUID)`);
      await ctx.withDb(async (db) => {
        const runner = await loadRunner();
        const queue = new runner.RunQueue(db);
        const isSweep = await sweepExists(db, id);
        const result = isSweep ? await queue.cancelSweep(id) : await queue.cancelRun(id);
        await auditCli(ctx, db, {
          action: isSweep ? 'sweep.cancel' : 'run.cancel',
          entity: isSweep ? 'sweep' : 'run',
          entityId: id,
        });
        ctx.out.result(
          { id, kind: isSweep ? 'sweep' : 'run', ...result },
          () =>
            `${isSweep ? 'sweep' : 'run'} ${id}: ${result.cancelled} cancelled now, ${result.requested} asked to stop`,
        );
      });
    });
};
