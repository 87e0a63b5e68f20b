import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import {
  migrate,
  openDb,
  openPglite,
  resolveDbTarget,
  type DbKind,
  type OpenDbOptions,
  type OpenedDb,
} from '@nflab/store';
import { openTestDb, pgliteSnapshot, type TestDb } from '@nflab/store/testing';
import { CommanderError } from 'commander';
import type { DbOpener } from '../src/context.js';
import { buildProgram } from '../src/program.js';
import { exitCodeFor, reportError } from '../src/output.js';

/** What one in-process `nflab` invocation printed and how it ended. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * The databases a suite's commands share: each location opened once and held until `release`,
 * where the `nflab` binary opens and closes it per command. Opening PGlite costs a quarter second
 * on an existing folder and seconds on a new one, and a suite runs dozens of commands. Every open
 * that asks for migrations still runs them (and reports what it applied), as openDb does.
 */
export interface HeldDbs {
  readonly open: DbOpener;
  release(): Promise<void>;
}

/**
 * Opens like openDb, but a new PGlite folder starts from the process's snapshot of a new cluster
 * instead of running initdb (seconds per suite); what is in it after that is the commands' doing.
 */
const openSeeded = async (options: OpenDbOptions): Promise<OpenedDb> => {
  const target = resolveDbTarget(options);
  if (target.kind === 'postgres' || existsSync(target.dataDir)) return openDb({ ...options, migrate: false });
  await mkdir(dirname(target.dataDir), { recursive: true });
  return {
    ...(await openPglite(target.dataDir, { from: await pgliteSnapshot(false) })),
    target,
    migrated: [],
  };
};

export const holdDbs = (): HeldDbs => {
  const held = new Map<string, Promise<OpenedDb>>();
  return {
    async open(options) {
      const key = JSON.stringify(resolveDbTarget(options));
      let opening = held.get(key);
      if (opening === undefined) {
        opening = openSeeded(options);
        held.set(key, opening);
        opening.catch(() => held.delete(key));
      }
      const db = await opening;
      const migrated = options.migrate === true ? await migrate(db) : [];
      return { ...db, migrated, close: async () => undefined };
    },
    async release() {
      const opened = [...held.values()];
      held.clear();
      await Promise.all(opened.map((opening) => opening.then((db) => db.close()).catch(() => undefined)));
    },
  };
};

/**
 * Runs `nflab ...args` in this process (as main.ts does) and captures its output; with `dbs`, its
 * commands borrow the suite's held databases instead of opening their own.
 */
export const runCli = async (args: readonly string[], dbs?: HeldDbs): Promise<CliResult> => {
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
  const program = buildProgram(dbs === undefined ? {} : { openDb: dbs.open });
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
  /** The target's database, held open for the suite: pass to runCli. */
  readonly dbs: HeldDbs;
}

/**
 * Registers the suite's setup and teardown: a temporary home, and for `postgres` a fresh test
 * database on the server; the returned target is filled in before the first test runs.
 */
export const useCliTarget = (kind: DbKind, prefix: string): CliTarget => {
  const target: CliTarget = { args: [], home: '', dbs: holdDbs() };
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
    await target.dbs.release();
    await server?.close();
    await rm(target.home, { recursive: true, force: true });
  });
  return target;
};

/** Borrows the lab database `target` points `nflab` at (migrated), as its commands do, for `fn`. */
export const withTargetDb = async <T>(
  kind: DbKind,
  target: CliTarget,
  fn: (db: OpenedDb) => Promise<T>,
): Promise<T> => {
  const url = target.args[target.args.indexOf('--database-url') + 1];
  const db = await target.dbs.open({
    ...(kind === 'postgres' ? { url } : { dataDir: join(target.home, 'db') }),
    migrate: true,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
};
