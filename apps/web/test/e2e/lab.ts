/**
 * A whole lab for the browser tests: a fresh PGlite database with the sample LOTO6 draws and their
 * feature view, three accounts, recorded runs, and the real server on an ephemeral port serving
 * the built UI (and, when asked, executing runs with its own workers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, createUser, type ServerOptions } from '@nflab/server';
import { buildFeatures, importFile } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { insertRecordedRuns, type RecordedRun } from './fixtures.js';
import { ensureWebBuild, WEB_DIST } from './web-build.js';

/** The sample file every lab imports. */
export const SAMPLE_FILE = fileURLToPath(
  new URL('../../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url),
);
/** The table the sample lands in. */
export const SAMPLE_TABLE = 'nf_loto_final';

/** Accounts of the test lab, one per role. */
export const ACCOUNTS = {
  admin: { username: 'ada', password: 'admin-password-1', role: 'admin' },
  editor: { username: 'eddie', password: 'editor-password-1', role: 'editor' },
  viewer: { username: 'vera', password: 'viewer-password-1', role: 'viewer' },
} as const;
/** A role of the test accounts. */
export type AccountRole = keyof typeof ACCOUNTS;

/** A running test lab. */
export interface Lab {
  /** Origin the browser opens (UI and `/api` on one origin). */
  readonly origin: string;
  readonly db: TestDb;
  readonly runs: readonly RecordedRun[];
  /** `GET /api/ready` body: `workers` is how many runs the server executes at once. */
  readonly ready: Record<string, unknown>;
  readonly close: () => Promise<void>;
}

/** Starts a lab; call `close()` in afterAll. `server` adds options of buildServer (e.g. workers). */
export const startLab = async (server: Omit<ServerOptions, 'db'> = {}): Promise<Lab> => {
  await ensureWebBuild();
  const db = await openTestDb('pglite', { migrate: true });
  await importFile(db, { file: SAMPLE_FILE, game: 'loto6', table: SAMPLE_TABLE });
  await buildFeatures(db, { table: SAMPLE_TABLE });
  for (const account of Object.values(ACCOUNTS)) await createUser(db, account);
  const runs = await insertRecordedRuns(db);

  // Artifacts of runs the server's workers execute stay in a folder of this lab.
  const artifactRoot = mkdtempSync(join(tmpdir(), 'nflab-e2e-artifacts-'));
  const app = await buildServer({ artifactRoot, webRoot: WEB_DIST, shutdownGraceMs: 1000, ...server, db });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  const ready = (await (await fetch(`${origin}/api/ready`)).json()) as Record<string, unknown>;

  return {
    origin,
    db,
    runs,
    ready,
    close: async () => {
      await app.close();
      await db.close();
      rmSync(artifactRoot, { recursive: true, force: true });
    },
  };
};
