import { join } from 'node:path';
import type { Command } from 'commander';
import { resolveMaxCombinations } from '@nflab/contracts';
import { auditFileIn, buildServer, ensureInitialAdmin } from '@nflab/server';
import { openDataReader } from '@nflab/store';
import { contextFrom, type GlobalOptions } from '../context.js';
import { trustProxySetting } from '../trust-proxy.js';

const integer = (value: string): number => Number.parseInt(value, 10);

/** `nflab serve`: the lab server with its own worker slots, until SIGINT/SIGTERM. */
export const serveCommand = (program: Command): void => {
  program
    .command('serve')
    .description('start the lab server: API, live events, the web UI once built, and worker slots')
    .option('--port <port>', 'TCP port', integer, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--workers <n>',
      'runs this server executes at once (0: only queue them for `nflab worker` processes)',
      integer,
      1,
    )
    .option('--log-file <file>', 'also append the server log (JSON lines) here (default: <home>/server.log)')
    .option(
      '--grace <seconds>',
      'on stop, how long running runs may take before they are requeued',
      integer,
      30,
    )
    .option(
      '--max-combinations <n>',
      'most combinations one sweep plan or sweep may form (default: $NFLAB_MAX_COMBINATIONS, else 10000)',
    )
    .option(
      '--trust-proxy [proxies]',
      'behind a TLS reverse proxy: believe its X-Forwarded-For/-Proto/-Host (Secure cookies, client addresses); ' +
        'alone trusts any peer, or give the proxy addresses/CIDRs, comma-separated (default: $NFLAB_TRUST_PROXY, else off)',
    )
    .action(
      async (
        options: {
          port: number;
          host: string;
          workers: number;
          grace: number;
          maxCombinations?: string;
          trustProxy?: boolean | string;
          logFile?: string;
        },
        command: Command,
      ) => {
        const ctx = contextFrom(command);
        const maxCombinations = resolveMaxCombinations(options.maxCombinations, process.env);
        const trustProxy = trustProxySetting(options.trustProxy);
        const { databaseUrl } = command.optsWithGlobals<GlobalOptions>();
        await ctx.withDb(async (db) => {
          const admin = await ensureInitialAdmin(db);
          if (admin.created) {
            ctx.out.info(
              admin.generated
                ? `created user 'admin' with password ${admin.password} (shown once; change it with nflab user)`
                : "created user 'admin' with the password from NFLAB_ADMIN_PASSWORD",
            );
          }
          const url = databaseUrl ?? (db.kind === 'postgres' ? process.env.DATABASE_URL : undefined);
          const dataDb = await openDataReader();
          const app = await buildServer({
            db,
            artifactRoot: join(ctx.home, 'artifacts'),
            // One JSON line per request and every 5xx with its stack, on stdout and in a file.
            logger: true,
            logFile: options.logFile ?? join(ctx.home, 'server.log'),
            auditFile: auditFileIn(ctx.home),
            workers: options.workers,
            shutdownGraceMs: options.grace * 1000,
            maxCombinations,
            trustProxy,
            ...(url ? { databaseUrl: url } : {}),
            ...(dataDb === undefined ? {} : { dataDb }),
          });
          const address = await app.listen({ port: options.port, host: options.host });
          ctx.out.info(
            `NF Loto Lab is listening on ${address} (database: ${db.kind}, ${options.workers} worker slot(s)); Ctrl+C stops it`,
          );
          await new Promise<void>((resolve) => {
            const stop = (): void => {
              ctx.out.info(
                `stopping: running runs get ${options.grace} s to finish, then go back to the queue`,
              );
              void app.close().then(resolve);
            };
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
          await dataDb?.close();
        });
      },
    );
};
