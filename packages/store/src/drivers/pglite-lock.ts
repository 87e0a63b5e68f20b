/**
 * An exclusive lock on a PGlite data folder. PGlite is one process's database: a second process
 * opening the same folder does not fail, it silently loses writes. So the lab takes a lock file
 * beside the folder and refuses a second opener with a ConflictError.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ConflictError } from '@nflab/contracts';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readHolder = async (path: string): Promise<Holder | undefined> => {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    const { pid, host, since } = (value ?? {}) as Record<string, unknown>;
    if (typeof pid === 'number' && typeof host === 'string' && typeof since === 'string')
      return { pid, host, since };
    return undefined;
  } catch {
    return undefined;
  }
};

// A holder on another host cannot be checked, so it counts as live; one on this host whose
// process is gone (a crash, kill -9) left a stale lock that is safe to take over.
const isStale = (holder: Holder | undefined): boolean =>
  holder !== undefined && holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid);

/** Lock file path for a data folder: a sibling, so PGlite's own folder stays untouched. */
export const lockPath = (dataDir: string): string => `${dataDir.replace(/[/\\]+$/, '')}.lock`;

/** Takes the lock on `dataDir` for this process; returns its release. Throws ConflictError when it is held. */
export const lockDataDir = async (dataDir: string): Promise<() => Promise<void>> => {
  const path = lockPath(dataDir);
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const file = await open(path, 'wx');
      const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      await file.writeFile(JSON.stringify(holder));
      await file.close();
      let released = false;
      // Idempotent: a second close() must not delete a lock another process has taken since.
      return async () => {
        if (released) return;
        released = true;
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readHolder(path);
      if (attempt === 0 && isStale(holder)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      const who = holder
        ? `process ${holder.pid} on ${holder.host} since ${holder.since}${holder.pid === process.pid ? ' (this process)' : ''}`
        : 'another process';
      throw new ConflictError(
        `the PGlite data folder ${dataDir} is in use by ${who}; PGlite serves one process at a time — ` +
          `stop that process, or share a PostgreSQL server via DATABASE_URL (delete ${path} only if no process uses it)`,
      );
    }
  }
  throw new ConflictError(`cannot lock the PGlite data folder ${dataDir} through ${path}`);
};
