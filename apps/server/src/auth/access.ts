/**
 * Default-deny by route: every route says who may call it (`config.access`, which `attach` copies
 * from the route's description in `@nflab/contracts`), and a route without a declaration stops the
 * server from starting. The guard then decides from
 * the route the router matched, never from how the URL was spelled.
 */
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import { LabError, ROUTE_ACCESS, type RouteAccess } from '@nflab/contracts';

// Who may call a route is part of each route's description in the contracts.
export { ROUTE_ACCESS, type RouteAccess };

/** One route of the server and who may call it. */
export interface DeclaredRoute {
  readonly method: HTTPMethods;
  /** The route's pattern as registered, e.g. `/api/runs/:id`. */
  readonly url: string;
  readonly access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required: a route without it fails at start-up (no default). */
    access?: RouteAccess;
  }
}

/** A route was defined without a valid `config.access`. */
export class MissingAccessError extends LabError {
  constructor(method: string, url: string, access: unknown) {
    super(
      'config',
      `route ${method} ${url} has config.access ${JSON.stringify(access)}; declare who may call it where it is defined: ` +
        `{ config: { access: ${ROUTE_ACCESS.map((a) => `'${a}'`).join(' | ')} } }`,
    );
  }
}

const isRouteAccess = (value: unknown): value is RouteAccess =>
  (ROUTE_ACCESS as readonly unknown[]).includes(value);

// Scopes whose routes are public by declaration (the static web build): their routes come from a
// third-party plugin that cannot take our route config.
const publicScopes = new WeakSet<FastifyInstance>();

/** Declares every route registered in `scope` (an encapsulated plugin) public. */
export const declarePublicScope = (scope: FastifyInstance): void => {
  publicScopes.add(scope);
};

/**
 * The onRoute hook that enforces declarations; it records each route in `table`. Routes of a
 * {@link declarePublicScope} scope get `access: 'public'`. The HEAD routes Fastify adds for GETs
 * copy their GET's options, so they carry the same declaration.
 */
export const requireAccess = (table: DeclaredRoute[]) =>
  function checkAccess(this: FastifyInstance, route: RouteOptions): void {
    if (route.config?.access === undefined && publicScopes.has(this)) {
      // A fresh object: route options (and their config) may be shared between routes.
      route.config = { ...route.config, access: 'public' };
    }
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!isRouteAccess(access)) throw new MissingAccessError(methods.join(','), route.url, access);
    for (const method of methods) table.push({ method, url: route.url, access });
  };
