/**
 * A whole lab for the browser tests: a fresh PGlite database with the sample LOTO6 draws and their
 * feature view, three accounts, recorded runs, and the real server on an ephemeral port serving
 * the built UI.
 */
import { fileURLToPath } from 'node:url';
import { buildServer, createUser, type ServerOptions } from '@nflab/server';
import { buildFeatures, importFile } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { insertRecordedRuns, type RecordedRun } from './fixtures.js';
import { serveWeb } from './serve-web.js';
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
  /** `GET /api/ready` body: tells whether the server runs workers (`workers: true`). */
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

  const app = await buildServer({ ...server, db });
  const apiOrigin = await app.listen({ port: 0, host: '127.0.0.1' });
  // Use the lab server's own UI when it serves one; otherwise put the build in front of it.
  const home = await fetch(apiOrigin);
  const servesUi = home.ok && (home.headers.get('content-type') ?? '').includes('text/html');
  const front = servesUi ? undefined : await serveWeb(WEB_DIST, apiOrigin);
  const ready = (await (await fetch(`${apiOrigin}/api/ready`)).json()) as Record<string, unknown>;

  return {
    origin: front?.origin ?? apiOrigin,
    db,
    runs,
    ready,
    close: async () => {
      await front?.close();
      await app.close();
      await db.close();
    },
  };
};
