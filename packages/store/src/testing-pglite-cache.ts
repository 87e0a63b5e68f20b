/**
 * The test harness's PGlite snapshots, kept on disk from one test process to the next: vitest runs
 * each isolated file (end-to-end, runner) in a process of its own, and each would otherwise run
 * initdb and every migration before its first database — seconds per file, a minute under load.
 * A file is named by what made it (PGlite's version, the migration runner, the committed
 * migrations), so a new migration or PGlite release starts a new file, never an outdated cluster.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PgliteSnapshot } from './drivers/pglite.js';
import { loadMigrations } from './migrate.js';

const CACHE_DIR = join(tmpdir(), 'nflab-pglite-snapshots');

const pgliteVersion = (): string => {
  // The entry point is <package>/dist/index.*; the version is in <package>/package.json.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return String(manifest.version);
};

/** The file holding the snapshot of a new cluster (`migrated` false) or of one with every committed migration. */
export const snapshotCacheFile = async (migrated: boolean): Promise<string> => {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`);
  if (migrated) {
    // The runner's own code too: it creates and fills the schema-version table the snapshot holds.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    hash.update(readFileSync(new URL(`./migrate${ext}`, import.meta.url)));
    for (const migration of await loadMigrations())
      hash.update(`${migration.version} ${migration.name} ${migration.checksum}\n`);
  }
  return join(CACHE_DIR, `${migrated ? 'migrated' : 'empty'}-${hash.digest('hex').slice(0, 16)}.tar`);
};

/** The cached snapshot in `file`, or undefined when there is none yet. */
export const readCachedSnapshot = (file: string): PgliteSnapshot | undefined => {
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    return undefined;
  }
};

/** Stores `snapshot` as `file`, whole or not at all (written aside, then renamed over). */
export const writeCachedSnapshot = async (file: string, snapshot: PgliteSnapshot): Promise<void> => {
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await snapshot.arrayBuffer()));
  renameSync(partial, file);
};

/** Forgets a cached snapshot PGlite could not start from (a damaged file). */
export const dropCachedSnapshot = (file: string): void => rmSync(file, { force: true });
