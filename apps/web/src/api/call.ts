/**
 * Calls an API route from its description in `@nflab/contracts`: the method and path come from the
 * description, the request and answer types from its zod schemas (`z.input` of path, query and
 * body, `z.output` of the answer). The UI never parses with the schemas; the server does.
 */
import { routePath, type RouteDescription, type RouteRequest, type RouteResponse } from '@nflab/contracts';
import { request, type QueryValues } from './client.js';

// Routes without required parts may be called with no request at all.
type RequestArgs<Route extends RouteDescription> =
  object extends RouteRequest<Route> ? [input?: RouteRequest<Route>] : [input: RouteRequest<Route>];

/** The URL of a route (for links and downloads), `/api` included. */
export const routeUrl = (route: RouteDescription, params: Readonly<Record<string, unknown>> = {}): string =>
  `/api${routePath(route, params)}`;

/** Sends one request to `route`; resolves with its typed answer, rejects with `ApiError`. */
export const call = <Route extends RouteDescription>(
  route: Route,
  ...[input]: RequestArgs<Route>
): Promise<RouteResponse<Route>> => {
  const parts = (input ?? {}) as { params?: Record<string, unknown>; query?: unknown; body?: unknown };
  return request<RouteResponse<Route>>(routePath(route, parts.params), {
    method: route.method,
    // Query values are strings, numbers and booleans on the wire (lists as comma-joined text).
    ...(parts.query === undefined ? {} : { query: parts.query as QueryValues }),
    ...(parts.body === undefined ? {} : { body: parts.body }),
  });
};
