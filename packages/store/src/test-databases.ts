/**
 * Throwaway databases on the test server: created with a note of who made them, dropped on close,
 * and swept when their maker died without closing them (a crashed or killed test worker).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';

/** Prefix of every throwaway test database, so a leftover one is recognisable (and droppable). */
export const TEST_DB_PREFIX = 'nflab_t_';

// A connect attempt must not hang a test file when the server is firewalled rather than down.
const CONNECT_TIMEOUT_MS = 2_000;

// Past this age a test database is leftover even if its maker's pid was reused or is on another host.
const MAX_AGE_MS = 6 * 60 * 60 * 1000;

/** Runs `fn` on a fresh single connection to `url`, always closing it. */
export const withAdminClient = async <T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A server that drops the socket emits 'error' on the client; the awaited call reports it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Who made a test database, stored as its COMMENT. */
interface Maker {
  readonly host: string;
  readonly pid: number;
  readonly createdAt: number;
}

/**
 * Creates `nflab_t_<random>` and labels it with this process; returns its name. `template` (a
 * database this module created, so a plain name) is copied instead of the server's empty template1.
 */
export const createTestDatabase = (adminUrl: string, template?: string): Promise<string> =>
  withAdminClient(adminUrl, async (client) => {
    // Lowercase hex only, so the name needs no quoting and cannot inject anything.
    const name = `${TEST_DB_PREFIX}${randomBytes(6).toString('hex')}`;
    await client.query(`CREATE DATABASE ${name}${template === undefined ? '' : ` TEMPLATE ${template}`}`);
    const maker: Maker = { host: hostname(), pid: process.pid, createdAt: Date.now() };
    await client.query(`COMMENT ON DATABASE ${name} IS ${client.escapeLiteral(JSON.stringify(maker))}`);
    return name;
  });

/** Drops a test database, ending connections a test left open (a second pool, a stray client). */
export const dropTestDatabase = (adminUrl: string, name: string): Promise<unknown> =>
  withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

const parseMaker = (comment: string | null): Maker | undefined => {
  try {
    const value: unknown = JSON.parse(comment ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { host, pid, createdAt } = value as Record<string, unknown>;
    if (typeof host !== 'string' || typeof pid !== 'number' || typeof createdAt !== 'number')
      return undefined;
    return { host, pid, createdAt };
  } catch {
    return undefined;
  }
};

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** True when the database's maker is gone: a dead process on this host, or older than six hours. */
export const isLeaked = (comment: string | null, now = Date.now()): boolean => {
  const maker = parseMaker(comment);
  // Unlabelled: maybe a database between CREATE and COMMENT in another process; leave it alone.
  if (!maker) return false;
  if (now - maker.createdAt > MAX_AGE_MS) return true;
  return maker.host === hostname() && !processAlive(maker.pid);
};

/** Drops every leaked test database on the server; returns their names. */
export const dropLeakedTestDatabases = async (adminUrl: string): Promise<string[]> => {
  const candidates = await withAdminClient(adminUrl, (client) =>
    client.query<{ datname: string; comment: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE $1`,
      [`${TEST_DB_PREFIX.replace(/_/g, '\\_')}%`],
    ),
  );
  const leaked = candidates.rows.filter((row) => isLeaked(row.comment)).map((row) => row.datname);
  for (const name of leaked) await dropTestDatabase(adminUrl, name);
  return leaked;
};
