import type { Command } from 'commander';
import { buildServer } from '@nflab/server';
import { contextFrom } from '../context.js';

/** `nflab serve`: the lab server, until SIGINT/SIGTERM. */
export const serveCommand = (program: Command): void => {
  program
    .command('serve')
    .description('start the lab server (API and, once built, the web UI)')
    .option('--port <port>', 'TCP port', (value) => Number.parseInt(value, 10), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(async (options: { port: number; host: string }, command: Command) => {
      const { out, withDb } = contextFrom(command);
      await withDb(async (db) => {
        const app = await buildServer({ db, logger: false });
        const address = await app.listen({ port: options.port, host: options.host });
        out.info(`NF Loto Lab is listening on ${address} (database: ${db.kind}); Ctrl+C stops it`);
        await new Promise<void>((resolve) => {
          const stop = (): void => void app.close().then(resolve);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
};
