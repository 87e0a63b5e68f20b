/**
 * What an API route is, written once: method, path, who may call it, and its zod schemas. The server
 * attaches one handler per description, the OpenAPI document and the web client derive from them.
 * Plain data and types: validation stays `parseInput`, so error bodies do not depend on this file.
 */
import { z } from 'zod';
import { USER_ROLES, type UserRole } from '../api/auth.js';

/**
 * Who may call a route: anyone (`public`), a signed-in user with at least this role, or only a
 * scraper sending the server's metrics scrape token (`scrape`: no user, no session, and the route
 * is not served at all while no token is configured).
 */
export type RouteAccess = 'public' | UserRole | 'scrape';

/** Every valid {@link RouteAccess}: `public`, the roles weakest first, then `scrape`. */
export const ROUTE_ACCESS = ['public', ...USER_ROLES, 'scrape'] as const satisfies readonly RouteAccess[];

/** HTTP methods the API uses. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API route. */
export interface RouteDescription {
  readonly method: RouteMethod;
  /**
   * Fastify-style path under `/api`, e.g. `/runs/:id`; the whole path for a route outside `/api`
   * (see `ROOT_ROUTES`).
   */
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly access: RouteAccess;
  /** Path parameters (parsed as `path`). */
  readonly params?: z.ZodType;
  /** Query string (parsed as `query`). */
  readonly query?: z.ZodType;
  /** JSON body (parsed as `body`). */
  readonly body?: z.ZodType;
  /** The server reads a missing body as `{}` (the body's fields all have defaults). */
  readonly bodyMayBeEmpty?: true;
  /** Success status. @default 200 */
  readonly status?: number;
  /** JSON answer; absent for no content (204), a file or an event stream. */
  readonly response?: z.ZodType;
}

/** A JSON answer the contracts do not describe further. */
export const anyJsonSchema = z.unknown();

/** Keeps each route's literal method, path and schema types (use it for every description). */
export const defineRoute = <const Route extends RouteDescription>(route: Route): Route => route;

type Part = 'params' | 'query' | 'body' | 'response';
type SchemaOf<Route, Key extends Part> = Route extends { readonly [K in Key]: infer S extends z.ZodType }
  ? S
  : undefined;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type Input<S> = S extends z.ZodType ? z.input<S> : undefined;

/** Parsed path, query and body of a route, as its handler receives them. */
export interface RouteValues<Route extends RouteDescription> {
  readonly params: Output<SchemaOf<Route, 'params'>>;
  readonly query: Output<SchemaOf<Route, 'query'>>;
  readonly body: Output<SchemaOf<Route, 'body'>>;
}

/** What a client sends to a route: only the parts the route has. */
export type RouteRequest<Route extends RouteDescription> = (SchemaOf<Route, 'params'> extends z.ZodType
  ? { readonly params: Input<SchemaOf<Route, 'params'>> }
  : { readonly params?: undefined }) &
  (SchemaOf<Route, 'query'> extends z.ZodType
    ? { readonly query?: Input<SchemaOf<Route, 'query'>> }
    : { readonly query?: undefined }) &
  (SchemaOf<Route, 'body'> extends z.ZodType
    ? Route extends { readonly bodyMayBeEmpty: true }
      ? { readonly body?: Input<SchemaOf<Route, 'body'>> }
      : { readonly body: Input<SchemaOf<Route, 'body'>> }
    : { readonly body?: undefined });

/** What a route answers on success (`undefined` for no content; `unknown` for files and streams). */
export type RouteResponse<Route extends RouteDescription> =
  SchemaOf<Route, 'response'> extends z.ZodType
    ? z.output<SchemaOf<Route, 'response'>>
    : Route extends { readonly status: 204 }
      ? undefined
      : unknown;

/** The route's path with its `:name` parameters filled in (URI-encoded), still under `/api`. */
export const routePath = (route: RouteDescription, params: Readonly<Record<string, unknown>> = {}): string =>
  route.path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(String(params[name])));
