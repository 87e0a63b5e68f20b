/**
 * Default-deny by route, tested from the server's own route table: every declared route × many
 * spellings of its URL × {no credentials, viewer, editor, admin}, sent byte for byte over a socket.
 * Whatever the spelling, the route the router matched decides: its declared check answers, an
 * unmatched spelling is 404 (or the public SPA shell), and no handler runs for a caller the
 * matched route does not admit.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { UserRole } from '@nflab/contracts';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { MissingAccessError, type DeclaredRoute, type RouteAccess } from '../../src/auth/access.js';
import { roleAllows } from '../../src/auth/roles.js';
import { createSession } from '../../src/auth/sessions.js';
import { SESSION_COOKIE } from '../../src/auth/plugin.js';
import { signIn, type SignedIn } from '../sign-in.js';
import { rawRequest, type RawResponse } from './raw-http.js';

type Caller = 'none' | UserRole;
const CALLERS: readonly Caller[] = ['none', 'viewer', 'editor', 'admin'];

const INDEX_HTML = '<!doctype html><div id="root"></div>';
const UUID = '00000000-0000-4000-8000-000000000000';
const PARAM_VALUES: Readonly<Record<string, string>> = {
  id: UUID,
  artifactId: UUID,
  table: 'nf_loto_final',
  loto: 'loto6',
};

/** The route's pattern with its parameters filled in (the static wildcard gets an asset). */
const concretePath = (url: string): string =>
  url.replace(/:(\w+)/g, (_match, name: string) => PARAM_VALUES[name] ?? 'x').replace(/\*$/, 'assets/app.js');

/** A way of writing a path; `routes` says whether find-my-way must still match the same route. */
interface Spelling {
  readonly name: string;
  readonly routes: boolean;
  readonly spell: (path: string, port: number) => string;
}

const encodeFirstLetter = (path: string): string =>
  path.replace(/[a-z]/i, (c) => `%${c.charCodeAt(0).toString(16)}`);
const encodeLastLetter = (path: string): string =>
  path.replace(/[a-z](?=[^a-z]*$)/i, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const secondSlash = (path: string): number => path.indexOf('/', 1);
const insertAtSecondSlash = (path: string, text: string): string =>
  secondSlash(path) < 0
    ? `${text}${path}`
    : `${path.slice(0, secondSlash(path))}${text}${path.slice(secondSlash(path))}`;

const SPELLINGS: readonly Spelling[] = [
  { name: 'as registered', routes: true, spell: (p) => p },
  { name: 'first letter percent-encoded', routes: true, spell: encodeFirstLetter },
  { name: 'last letter percent-encoded (upper-case hex)', routes: true, spell: encodeLastLetter },
  { name: 'with a query string', routes: true, spell: (p) => `${p}?access=public` },
  { name: 'absolute-form', routes: true, spell: (p, port) => `http://127.0.0.1:${port}${p}` },
  {
    name: 'absolute-form, other host, encoded',
    routes: true,
    spell: (p) => `http://evil.example${encodeFirstLetter(p)}`,
  },
  { name: 'double-encoded letter', routes: false, spell: (p) => encodeFirstLetter(p).replace('%', '%25') },
  { name: 'leading //', routes: false, spell: (p) => `/${p}` },
  { name: 'inner //', routes: false, spell: (p) => insertAtSecondSlash(p, '/') },
  { name: 'upper-case', routes: false, spell: (p) => p.toUpperCase() },
  {
    name: 'first segment upper-case',
    routes: false,
    spell: (p) => p.replace(/^\/[a-z]+/, (s) => s.toUpperCase()),
  },
  { name: 'leading /./', routes: false, spell: (p) => `/.${p}` },
  { name: 'inner /./', routes: false, spell: (p) => insertAtSecondSlash(p, '/.') },
  { name: 'encoded dot segment', routes: false, spell: (p) => insertAtSecondSlash(p, '/%2e') },
  { name: '/x/../ prefix', routes: false, spell: (p) => `/x/..${p}` },
  { name: 'inner /x/../', routes: false, spell: (p) => insertAtSecondSlash(p, '/x/..') },
  { name: 'trailing slash', routes: false, spell: (p) => `${p}/` },
  {
    name: 'encoded slash',
    routes: false,
    // A one-segment path (`/metrics`) keeps a leading slash, or the request line would be invalid.
    spell: (p) => p.replace(/\/(?=[^/]*$)/, '%2F').replace(/^(?!\/)/, '/'),
  },
  { name: 'matrix parameter', routes: false, spell: (p) => p.replace(/^(\/[^/]+)/, '$1;x=1') },
];

/** What the matched route's check must answer for `caller`. */
const expectedCheck = (access: RouteAccess, caller: Caller): 'pass' | 401 | 403 | 404 => {
  if (access === 'public') return 'pass';
  // This server has no metrics scrape token: a scrape route is served to nobody (metrics.test.ts
  // covers the token itself).
  if (access === 'scrape') return 404;
  if (caller === 'none') return 401;
  return roleAllows(caller, access) ? 'pass' : 403;
};

const routeKey = (method: string, url: string): string => `${method} ${url}`;

// One database: the guard decides from the matched route and the session's role, which read the
// same on both kinds (sessions and roles are tested on both in auth.test.ts); the matrix sends
// thousands of requests, so it runs where sessions resolve fastest — PostgreSQL when reachable.
const MATRIX_DB = (await testDbKinds()).slice(-1);

describe.each(MATRIX_DB)('route × spelling × role on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let root: string;
  let port: number;
  const users = new Map<UserRole, SignedIn>();
  // What the server saw per probe id: the route it matched, and whether a handler was reached.
  const matched = new Map<string, string | null>();
  const handled = new Map<string, { route: string; role: string | null }>();

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    root = await mkdtemp(join(tmpdir(), 'nflab-route-matrix-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), INDEX_HTML);
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    app = await buildServer({ db, webRoot: root, metricsToken: false });
    const probeOf = (headers: Record<string, unknown>): string => String(headers['x-probe']);
    app.addHook('preHandler', async (request) => {
      if (request.is404) return;
      handled.set(probeOf(request.headers), {
        route: routeKey(request.method, request.routeOptions.url ?? ''),
        role: request.user?.role ?? null,
      });
    });
    app.addHook('onResponse', async (request) => {
      const route = request.is404 ? null : routeKey(request.method, request.routeOptions.url ?? '');
      matched.set(probeOf(request.headers), route);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
    for (const role of ['viewer', 'editor', 'admin'] as const) users.set(role, await signIn(db, role));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  test('every route declares its access, and the table covers the API, its HEADs and the web build', () => {
    const table = new Map(app.routeAccess.map((route) => [routeKey(route.method, route.url), route.access]));
    expect(table.get('POST /api/users')).toBe('admin');
    expect(table.get('POST /api/runs')).toBe('editor');
    expect(table.get('GET /api/runs')).toBe('viewer');
    expect(table.get('HEAD /api/runs')).toBe('viewer');
    expect(table.get('POST /api/auth/login')).toBe('public');
    expect(table.get('GET /*')).toBe('public');
    expect(table.get('HEAD /*')).toBe('public');
    expect(app.routeAccess.length).toBeGreaterThan(40);
  });

  test('a route without a valid access declaration cannot be added', async () => {
    const fresh = await buildServer({ db, webRoot: false });
    try {
      expect(() => fresh.get('/api/undeclared', async () => 'open')).toThrow(MissingAccessError);
      expect(() => fresh.get('/api/undeclared', async () => 'open')).toThrow(
        /route GET \/api\/undeclared has config.access undefined; declare who may call it/,
      );
      const invalid = { config: { access: 'root' as RouteAccess } };
      expect(() => fresh.post('/api/undeclared', invalid, async () => 'open')).toThrow(MissingAccessError);
      fresh.get('/api/declared', { config: { access: 'admin' } }, async () => 'admins only');
      await fresh.ready();
      expect(fresh.routeAccess.filter((route) => route.url === '/api/declared')).toEqual([
        { method: 'GET', url: '/api/declared', access: 'admin' },
        { method: 'HEAD', url: '/api/declared', access: 'admin' },
      ]);
      expect((await fresh.inject('/api/declared')).statusCode).toBe(401);
    } finally {
      await fresh.close();
    }
  });

  test('every route × spelling × caller gets exactly the matched route’s check', async () => {
    const origin = `http://127.0.0.1:${port}`;
    let probe = 0;
    let routedSpellings = 0;
    const cases = app.routeAccess.flatMap((route) =>
      SPELLINGS.flatMap((spelling) => CALLERS.map((caller) => ({ route, spelling, caller }))),
    );
    const access = new Map(app.routeAccess.map((r) => [routeKey(r.method, r.url), r.access]));

    const credentialsOf = async (route: DeclaredRoute, caller: Caller): Promise<Record<string, string>> => {
      if (caller === 'none') return {};
      const user = users.get(caller) as SignedIn;
      // Logout ends the session it is sent with: give it one of its own each time.
      const cookie =
        route.url === '/api/auth/logout'
          ? `${SESSION_COOKIE}=${await createSession(db, user.userId, {})}`
          : user.cookie;
      return { cookie, origin };
    };

    const check = async ({ route, spelling, caller }: (typeof cases)[number]): Promise<void> => {
      probe += 1;
      const id = String(probe);
      const target = spelling.spell(concretePath(route.url), port);
      const label = `${route.method} ${target} (${spelling.name}) as ${caller}`;
      const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
      const response: RawResponse = await rawRequest(port, {
        method: route.method,
        target,
        headers: { 'x-probe': id, ...(await credentialsOf(route, caller)) },
        ...(hasBody ? { body: '{}' } : {}),
      });
      // The route the router matched: where a handler was reached (the static files' handler may
      // then hand over to the not-found handler), else what the response hook saw.
      const reached = handled.get(id);
      const hit = reached?.route ?? matched.get(id);
      expect(hit, `${label}: the server saw the request`).not.toBeUndefined();
      const isJson = response.headers['content-type']?.startsWith('application/json') === true;
      const code =
        isJson && response.body !== '' ? (JSON.parse(response.body).error?.code as unknown) : undefined;

      if (spelling.routes) {
        expect(hit, `${label}: routes to its route`).toBe(routeKey(route.method, route.url));
        routedSpellings += 1;
      }
      const shell =
        response.status === 200 && response.headers['content-type']?.startsWith('text/html') === true;
      if (hit === null || hit === undefined || (hit.endsWith(' /*') && !route.url.endsWith('/*'))) {
        // Unmatched (or only by the web build's catch-all): 404, or for a GET the public SPA shell.
        expect(response.status === 404 || shell, `${label}: unmatched is 404 (${response.status})`).toBe(
          true,
        );
        if (response.status === 404 && code !== undefined) expect(code, label).toBe('not_found');
        if (shell && route.method === 'GET') expect(response.body, label).toBe(INDEX_HTML);
      } else {
        const declared = access.get(hit) as RouteAccess;
        const outcome = expectedCheck(declared, caller);
        if (outcome === 'pass') {
          expect([401, 403], `${label}: ${hit} admits ${caller}`).not.toContain(response.status);
        } else {
          expect(response.status, `${label}: ${hit} needs ${declared}`).toBe(outcome);
          const expectedCode = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[outcome];
          if (code !== undefined) expect(code, label).toBe(expectedCode);
        }
      }
      if (reached !== undefined) {
        // A handler ran: only for a caller its route admits, and only the route that was matched.
        expect(reached.route, label).toBe(hit);
        expect(expectedCheck(access.get(reached.route) as RouteAccess, caller), `${label}: handler ran`).toBe(
          'pass',
        );
        if (caller !== 'none' && access.get(reached.route) !== 'public')
          expect(reached.role, label).toBe(caller);
      } else if (response.status >= 200 && response.status < 300) {
        throw new Error(`${label}: answered ${response.status} without reaching a handler`);
      }
    };

    // A few sockets at a time: quick, and gentle on a shared machine.
    const queue = [...cases];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await check(next);
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(probe).toBe(cases.length);
    expect(routedSpellings).toBe(
      app.routeAccess.length * CALLERS.length * SPELLINGS.filter((s) => s.routes).length,
    );
  }, 600_000);

  test('without the web build, a spelling that does not route is a JSON 404, whoever asks', async () => {
    const apiOnly = await buildServer({ db, webRoot: false });
    const seen = new Map<string, string | null>();
    apiOnly.addHook('onResponse', async (request) => {
      const route = request.is404 ? null : routeKey(request.method, request.routeOptions.url ?? '');
      seen.set(String(request.headers['x-probe']), route);
    });
    try {
      await apiOnly.listen({ port: 0, host: '127.0.0.1' });
      const address = apiOnly.server.address();
      const apiPort = typeof address === 'object' && address !== null ? address.port : 0;
      const admin = users.get('admin') as SignedIn;
      const origin = `http://127.0.0.1:${apiPort}`;
      let probe = 0;
      let unmatched = 0;
      for (const route of apiOnly.routeAccess) {
        for (const spelling of SPELLINGS.filter((s) => !s.routes)) {
          for (const credentials of [{}, { cookie: admin.cookie, origin }] as Record<string, string>[]) {
            probe += 1;
            const target = spelling.spell(concretePath(route.url), apiPort);
            const headers = { 'x-probe': String(probe), ...credentials };
            const response = await rawRequest(apiPort, { method: route.method, target, headers });
            const label = `${route.method} ${target} (${spelling.name})`;
            const hit = seen.get(String(probe));
            // A wildcard route (the MLflow artifact proxy's `…/artifacts/*`) takes any tail by
            // design, so a spelling that only changes the tail (a trailing slash) is still its
            // own: its declared check answered, as the matrix above asserts for every caller.
            const wildcardPrefix = route.url.endsWith('*') ? concretePath(route.url.slice(0, -1)) : undefined;
            if (wildcardPrefix !== undefined && target.startsWith(wildcardPrefix)) continue;
            // Never its own route; another route it may reach (`/api/runs/` is `/api/runs/:id` with
            // an empty id), and then that route's check answers, as the matrix above asserts.
            expect(hit, label).not.toBe(routeKey(route.method, route.url));
            if (hit !== null) continue;
            unmatched += 1;
            expect(response.status, label).toBe(404);
            if (route.method !== 'HEAD')
              expect(JSON.parse(response.body).error.code, label).toBe('not_found');
          }
        }
      }
      expect(unmatched).toBeGreaterThan(probe * 0.8);
    } finally {
      await apiOnly.close();
    }
  });

  test('the reported bypass is closed: POST /%61pi/users without credentials creates nobody', async () => {
    for (const target of ['/%61pi/users', `http://127.0.0.1:${port}/%61pi/users`, '/api/u%73ers']) {
      const response = await rawRequest(port, {
        method: 'POST',
        target,
        body: JSON.stringify({ username: 'mallory', password: 'mallory-password', role: 'admin' }),
      });
      expect(response.status, target).toBe(401);
    }
    const { rows } = await db.query("SELECT 1 FROM nf_users WHERE username = 'mallory'");
    expect(rows).toHaveLength(0);
  });
});
