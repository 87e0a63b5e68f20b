/**
 * A save whose write fails mid-way (here the process's file-size limit, as a full disk would)
 * leaves no partial file: a fresh target is gone again, an overwritten one keeps its old save.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// prlimit (util-linux) lowers a running process's RLIMIT_FSIZE; Node ignores SIGXFSZ, so a write
// past the limit fails with EFBIG instead of killing the process.
const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

const LIMIT_BYTES = 16 * 1024;

/** Every file under `dir` (relative names) with its content. */
const snapshot = async (dir: string): Promise<Record<string, string>> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => !entry.isDirectory()).map((e) => path.join(e.parentPath, e.name));
  const pairs = await Promise.all(
    files.map(async (file) => [path.relative(dir, file), await readFile(file, 'base64')] as const),
  );
  return Object.fromEntries(pairs.sort(([a], [b]) => a.localeCompare(b)));
};

describe.runIf(hasPrlimit)('a save that fails mid-write', () => {
  let root: string;
  let child: ChildProcessWithoutNullStreams;
  let nextLine: () => Promise<string>;
  const save = async (dir: string, overwrite: boolean): Promise<string> => {
    child.stdin.write(`save ${dir} ${overwrite ? 1 : 0}\n`);
    return nextLine();
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'nf-failed-save-'));
    const fixture = fileURLToPath(new URL('./fixtures/save-worker.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: repoRoot });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    nextLine = async () => {
      const { value, done } = await lines.next();
      if (done === true) throw new Error(`save-worker exited: ${stderr}`);
      return value as string;
    };
    expect(await nextLine()).toBe('ready');
  }, 120_000);
  afterAll(async () => {
    child?.kill();
    await rm(root, { recursive: true, force: true });
  });

  it('removes its partial files and keeps the save it was replacing', async () => {
    const kept = path.join(root, 'kept');
    expect(await save(kept, false)).toBe('ok');
    const before = await snapshot(kept);
    expect(Object.keys(before)).toEqual(['dataset.json', 'manifest.json', 'weights/0.bin']);
    expect(Buffer.from(before['dataset.json'] as string, 'base64').byteLength).toBeGreaterThan(LIMIT_BYTES);

    const limited = spawnSync('prlimit', [`--pid=${child.pid}`, `--fsize=${LIMIT_BYTES}:${LIMIT_BYTES}`]);
    expect(limited.status, limited.stderr.toString()).toBe(0);

    expect(await save(kept, true)).toBe('error EFBIG');
    expect(await snapshot(kept)).toEqual(before);

    const fresh = path.join(root, 'fresh', 'model');
    expect(await save(fresh, false)).toBe('error EFBIG');
    // The folders the save created are gone with its files.
    expect(await readdir(root)).toEqual(['kept']);
  }, 60_000);
});
