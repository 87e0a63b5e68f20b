import { Command } from 'commander';
import { COMMANDS } from './commands/registry.js';

/** Builds the `nflab` program with every registered command. */
export const buildProgram = (): Command => {
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
  return program;
};
