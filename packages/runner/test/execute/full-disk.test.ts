/**
 * A run whose model save fails mid-write (the worker's real file-size limit, as a full disk) is
 * recorded as failed with its traceback, and its model folder holds no partial file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds, type TestDb } from '@nflab/store/testing';
import { RunQueue, submitRun } from '../../src/index.js';
import { openLoto6Db } from './loto6-db.js';

// prlimit (util-linux) lowers a running process's RLIMIT_FSIZE; Node ignores SIGXFSZ, so a write
// past it fails with EFBIG. The worker is a separate process, so this needs the PostgreSQL server.
const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;
const kinds = await testDbKinds();

describe.runIf(hasPrlimit && kinds.includes('postgres'))('a run whose model save fails', () => {
  let db: TestDb;
  let artifacts: string;

  beforeAll(async () => {
    db = await openLoto6Db('postgres');
    artifacts = await mkdtemp(path.join(tmpdir(), 'nflab-full-disk-'));
  });
  afterAll(async () => {
    await db?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('is recorded failed with its traceback and leaves no partial model file', async () => {
    const { runId } = await submitRun(db, new RunQueue(db), {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'mlp',
      config: { input_size: 8, hidden_size: 8, num_layers: 1 },
      h: 1,
      max_steps: 2,
    });
    const fixture = fileURLToPath(new URL('./fixtures/limited-worker.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, db.url as string, artifacts], {
      cwd: repoRoot,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const nextLine = async (): Promise<string | undefined> =>
      (await lines.next()).value as string | undefined;
    try {
      expect(await nextLine(), stderr).toBe('ready');
      // The saved dataset of 1,498 draws is far larger; the run's other writes go to the database.
      const limited = spawnSync('prlimit', [`--pid=${child.pid}`, '--fsize=16384:16384']);
      expect(limited.status, limited.stderr.toString()).toBe(0);
      child.stdin.write('go\n');
      expect(await nextLine(), stderr).toBe('done');
    } finally {
      child.kill();
    }
    const { rows } = await db.query<{ status: string; error_message: string; traceback: string }>(
      'SELECT status, error_message, traceback FROM nf_model_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0]?.status).toBe('failed');
    expect(rows[0]?.error_message).toMatch(/EFBIG|file too large/i);
    expect(rows[0]?.traceback).toMatch(/EFBIG|file too large/i);
    expect(rows[0]?.traceback).toMatch(/\n\s+at /);
    const left = await readdir(artifacts, { recursive: true });
    expect(left.filter((name) => name.includes('model'))).toEqual([]);
  }, 180_000);
});
