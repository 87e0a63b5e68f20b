import { Command } from 'commander';
import { COMMANDS } from './commands/registry.js';
import { setDbOpener, type DbOpener } from './context.js';

/** What an embedding caller may change about how the program's commands work. */
export interface ProgramOptions {
  /** How commands open the lab database (default: open it per command and close it after). */
  readonly openDb?: DbOpener;
}

/** Builds the `nflab` program with every registered command. */
export const buildProgram = (options: ProgramOptions = {}): Command => {
  const program = new Command('nflab')
    .description('NF Loto Lab: neural forecasting experiments on lottery data in PostgreSQL.')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .option(
      '--database-url <url>',
      'PostgreSQL server to use (default: $DATABASE_URL, else the embedded database)',
    )
    .option('--home <dir>', 'lab folder holding the embedded database (default: $NFLAB_HOME or ./.nflab)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of Object.values(COMMANDS)) register(program);
  if (options.openDb !== undefined) setDbOpener(program, options.openDb);
  return program;
};
