import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { openDb, type DbKind, type OpenedDb } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
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

/** Where a CLI test points `nflab`: its global options, and a scratch folder of its own. */
export interface CliTarget {
  /** `--home DIR` (embedded database), or `--database-url URL --home DIR` (a fresh server database). */
  readonly args: string[];
  /** A temporary folder, removed after the suite. */
  home: string;
}

/**
 * Registers the suite's setup and teardown: a temporary home, and for `postgres` a fresh test
 * database on the server; the returned target is filled in before the first test runs.
 */
export const useCliTarget = (kind: DbKind, prefix: string): CliTarget => {
  const target: CliTarget = { args: [], home: '' };
  let server: TestDb | undefined;
  beforeAll(async () => {
    target.home = await mkdtemp(join(tmpdir(), prefix));
    if (kind === 'postgres') {
      server = await openTestDb('postgres');
      // --home too: the server's database is used, and files the CLI writes beside it (audit.jsonl)
      // land in the scratch folder instead of ./.nflab.
      target.args.push('--database-url', server.url ?? '', '--home', target.home);
    } else target.args.push('--home', target.home);
  });
  afterAll(async () => {
    await server?.close();
    await rm(target.home, { recursive: true, force: true });
  });
  return target;
};

/** Opens the lab database `target` points `nflab` at (migrated), runs `fn` with it, and closes it. */
export const withTargetDb = async <T>(
  kind: DbKind,
  target: CliTarget,
  fn: (db: OpenedDb) => Promise<T>,
): Promise<T> => {
  const url = target.args[target.args.indexOf('--database-url') + 1];
  const db = await openDb({
    ...(kind === 'postgres' ? { url } : { dataDir: join(target.home, 'db') }),
    migrate: true,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
};
