import { join } from 'node:path';
import type { Command } from 'commander';
import { openDb, type OpenedDb } from '@nflab/store';
import { createOutput, type Output } from './output.js';

/** Global options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly databaseUrl?: string;
  readonly home?: string;
}

/** What a command handler gets: the output and a way to borrow the database. */
export interface CommandContext {
  readonly out: Output;
  /**
   * Opens the lab database, brings its schema up to date (unless `migrate: false`), runs `fn`,
   * closes it.
   */
  withDb<T>(fn: (db: OpenedDb) => Promise<T>, options?: { readonly migrate?: boolean }): Promise<T>;
}

/** Builds the context from the root program's parsed global options. */
export const contextFrom = (command: Command): CommandContext => {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    out: createOutput(options.json === true),
    async withDb(fn, { migrate = true } = {}) {
      const db = await openDb({
        url: options.databaseUrl,
        dataDir: options.home === undefined ? undefined : join(options.home, 'db'),
        migrate,
      });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
  };
};
