import type { Command } from 'commander';
import { analyzeCommand } from './analyze.js';
import { auditCommand } from './audit.js';
import { dbCommand } from './db.js';
import { cancelCommand } from './cancel.js';
import { dataCommand } from './data.js';
import { driftCommand } from './drift.js';
import { modelCommand } from './model.js';
import { modelRegistryCommand } from './model-registry.js';
import { monitorCommand } from './monitor.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { serveCommand } from './serve.js';
import { sweepCommand } from './sweep.js';
import { userCommand } from './user.js';
import { workerCommand } from './worker.js';

/** A top-level `nflab` command: adds itself (and its subcommands) to the program. */
export type CommandModule = (program: Command) => void;

/** Every top-level command, one line each. */
export const COMMANDS = {
  db: dbCommand,
  data: dataCommand,
  serve: serveCommand,
  run: runCommand,
  sweep: sweepCommand,
  worker: workerCommand,
  cancel: cancelCommand,
  model: modelCommand,
  registry: modelRegistryCommand,
  runs: runsCommand,
  analyze: analyzeCommand,
  report: reportCommand,
  drift: driftCommand,
  monitor: monitorCommand,
  user: userCommand,
  audit: auditCommand,
} as const satisfies Record<string, CommandModule>;
