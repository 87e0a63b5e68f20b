/**
 * One description per route (`API_ROUTES` under /api, `MLFLOW_ROUTES` under /api and /ajax-api but
 * in MLflow's protocol, `ROOT_ROUTES` outside it, in @nflab/contracts): every route the real server registers
 * has one (same method, path and access), every description has its route, and the OpenAPI
 * document lists exactly the API routes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_ROUTES, MLFLOW_ROUTES, ROOT_ROUTES, type RouteDescription } from '@nflab/contracts';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';

const DESCRIPTIONS: readonly RouteDescription[] = Object.values<RouteDescription>(API_ROUTES);
const ROOT_DESCRIPTIONS: readonly RouteDescription[] = Object.values<RouteDescription>(ROOT_ROUTES);
const MLFLOW_DESCRIPTIONS: readonly RouteDescription[] = Object.values<RouteDescription>(MLFLOW_ROUTES);
/** Undescribed routes outside /api: the web build's static files (a public scope, not an API route). */
const WEB_ROUTES = ['GET /*', 'HEAD /*'];

const key = (method: string, url: string): string => `${method} ${url}`;

describe('route descriptions', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let root: string;

  beforeAll(async () => {
    db = await openTestDb('pglite', { migrate: true });
    // A web build, so the static routes are in the table too (and shown to be the only non-API ones).
    root = await mkdtemp(join(tmpdir(), 'nflab-route-descriptions-'));
    await writeFile(join(root, 'index.html'), '<!doctype html>');
    app = await buildServer({ db, webRoot: root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  test('names and paths are unique', () => {
    const keys = DESCRIPTIONS.map((route) => key(route.method, route.path));
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of [...DESCRIPTIONS, ...ROOT_DESCRIPTIONS])
      expect(route.path, key(route.method, route.path)).toMatch(/^\/[a-z]/);
    // MLflow's paths start with its API version, as its clients send them.
    for (const route of MLFLOW_DESCRIPTIONS)
      expect(route.path, key(route.method, route.path)).toMatch(/^\/2\.0\/mlflow(-artifacts)?\//);
    const names = [...Object.keys(API_ROUTES), ...Object.keys(MLFLOW_ROUTES), ...Object.keys(ROOT_ROUTES)];
    expect(new Set(names).size).toBe(names.length);
    // A root route lives outside /api, or it would collide with the API's own.
    for (const route of ROOT_DESCRIPTIONS) expect(route.path, route.path).not.toMatch(/^\/api(\/|$)/);
  });

  test('every registered route has a description with its access, and every description a route', () => {
    const described = new Map([
      ...DESCRIPTIONS.map((route) => [key(route.method, `/api${route.path}`), route] as const),
      ...MLFLOW_DESCRIPTIONS.map((route) => [key(route.method, `/api${route.path}`), route] as const),
      // MLflow's web UI reaches the same routes under /ajax-api.
      ...MLFLOW_DESCRIPTIONS.map((route) => [key(route.method, `/ajax-api${route.path}`), route] as const),
      ...ROOT_DESCRIPTIONS.map((route) => [key(route.method, route.path), route] as const),
    ]);
    const registered = new Map(app.routeAccess.map((route) => [key(route.method, route.url), route]));
    for (const [name, route] of registered) {
      if (WEB_ROUTES.includes(name)) continue;
      // Fastify's HEAD twin of a described GET.
      const own = route.method === 'HEAD' ? key('GET', route.url) : name;
      const description = described.get(own);
      expect(description, `${name} is registered but has no description in API_ROUTES`).toBeDefined();
      expect(route.access, `${name}: access`).toBe(description?.access);
    }
    for (const name of described.keys()) {
      expect(registered.has(name), `${name} is described but no route is registered`).toBe(true);
    }
    for (const name of WEB_ROUTES) expect(registered.has(name), name).toBe(true);
  });

  test('the OpenAPI document lists exactly the described routes', async () => {
    const response = await app.inject('/api/openapi.json');
    const paths = response.json().paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => key(method.toUpperCase(), path)),
    );
    const described = DESCRIPTIONS.map((route) =>
      key(route.method, `/api${route.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(documented.sort()).toEqual(described.sort());
    for (const route of DESCRIPTIONS) {
      const operation = paths[`/api${route.path.replace(/:(\w+)/g, '{$1}')}`]?.[route.method.toLowerCase()];
      expect(operation, key(route.method, route.path)).toMatchObject({
        summary: route.summary,
        'x-nflab-access': route.access,
      });
    }
  });
});
