import type { Command } from 'commander';
import { dbCommand } from './db.js';
import { dataCommand } from './data.js';
import { serveCommand } from './serve.js';
import { sweepCommand } from './sweep.js';
import { userCommand } from './user.js';

/** A top-level `nflab` command: adds itself (and its subcommands) to the program. */
export type CommandModule = (program: Command) => void;

/** Every top-level command, one line each. */
export const COMMANDS = {
  db: dbCommand,
  data: dataCommand,
  serve: serveCommand,
  sweep: sweepCommand,
  user: userCommand,
} as const satisfies Record<string, CommandModule>;
