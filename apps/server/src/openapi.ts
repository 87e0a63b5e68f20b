/** The OpenAPI 3.1 document, generated from the route descriptions in `@nflab/contracts` (`API_ROUTES`). */
import { z } from 'zod';
import { API_ROUTES, errorBodySchema, type RouteDescription } from '@nflab/contracts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
};

// Path and query schemas are objects; OpenAPI lists their fields as parameters one by one.
const parameters = (schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] => {
  if (schema === undefined) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: jsonSchema(errorBodySchema, 'output') } },
});

const operation = (route: RouteDescription): Record<string, unknown> => {
  const status = String(route.status ?? 200);
  const success =
    route.response === undefined
      ? { description: route.status === 204 ? 'no content' : 'a file or an event stream' }
      : {
          description: 'success',
          content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
        };
  return {
    summary: route.summary,
    'x-nflab-access': route.access,
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }),
    responses: {
      [status]: success,
      '400': errorResponse('invalid input; `issues` names each field'),
      ...(route.access === 'public' ? {} : { '401': errorResponse('not signed in') }),
      ...(route.access === 'public' || route.access === 'viewer'
        ? {}
        : { '403': errorResponse(`needs the ${route.access} role`) }),
    },
  };
};

/** OpenAPI spelling of a Fastify path: `/runs/:id` → `/runs/{id}`. */
const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

/** Builds the OpenAPI document of every described route. */
export const openApiDocument = (): Record<string, unknown> => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of Object.values<RouteDescription>(API_ROUTES)) {
    (paths[`/api${openApiPath(route.path)}`] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'NF Loto Lab API', version: '1' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'nflab_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
};

/** Method and OpenAPI path of every documented route, for the test that compares them with the server's. */
export const documentedRoutes = (): string[] =>
  Object.values<RouteDescription>(API_ROUTES).map(
    (route) => `${route.method} /api${openApiPath(route.path)}`,
  );
