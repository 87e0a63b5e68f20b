import { vi } from 'vitest';
import { CommanderError } from 'commander';
import { buildProgram } from '../src/program.js';
import { exitCodeFor, reportError } from '../src/output.js';

/** What one in-process `nflab` invocation printed and how it ended. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `nflab ...args` in this process (as main.ts does) and captures its output. */
export const runCli = async (args: readonly string[]): Promise<CliResult> => {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  let exitCode = 0;
  const program = buildProgram();
  program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  try {
    await program.parseAsync(['node', 'nflab', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) exitCode = error.exitCode === 0 ? 0 : 2;
    else {
      reportError(error, args.includes('--json'));
      exitCode = exitCodeFor(error);
    }
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr, exitCode };
};
