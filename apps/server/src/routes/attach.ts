/**
 * Registers one route from its description in `@nflab/contracts`: method, path and `config.access`
 * come from the description, and path, query and body are parsed with `parseInput` against its
 * schemas (issues labelled `path`, `query`, `body`) before the handler sees them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseInput, type RouteDescription, type RouteValues } from '@nflab/contracts';

/** A route's handler: its parsed values, then Fastify's request and reply. */
export type RouteHandler<Route extends RouteDescription> = (
  values: RouteValues<Route>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

/** Route options a description does not carry (server concerns only). */
export interface AttachOptions {
  /** Whether Fastify adds a HEAD twin of a GET route. @default true */
  readonly exposeHeadRoute?: boolean;
}

/** Attaches `handler` to the route `route` describes, in `app`'s scope (mounted under `/api`). */
export const attach = <const Route extends RouteDescription>(
  app: FastifyInstance,
  route: Route,
  handler: RouteHandler<Route>,
  options: AttachOptions = {},
): void => {
  app.route({
    method: route.method,
    url: route.path,
    config: { access: route.access },
    ...options,
    handler: async (request, reply) => {
      const body = route.bodyMayBeEmpty === true ? (request.body ?? {}) : request.body;
      const values = {
        params: route.params === undefined ? undefined : parseInput(route.params, request.params, 'path'),
        query: route.query === undefined ? undefined : parseInput(route.query, request.query, 'query'),
        body: route.body === undefined ? undefined : parseInput(route.body, body, 'body'),
      };
      return handler(values as RouteValues<Route>, request, reply);
    },
  });
};
