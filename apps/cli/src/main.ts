#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { exitCodeFor, reportError } from './output.js';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed help or the usage error.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    reportError(error, program.opts<{ json?: boolean }>().json === true);
    process.exitCode = exitCodeFor(error);
  }
}
