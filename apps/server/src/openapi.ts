/** The OpenAPI 3.1 document, generated from the contracts' zod schemas (one entry per route). */
import { z } from 'zod';
import * as api from '@nflab/contracts';
import type { RouteAccess } from './auth/plugin.js';

interface RouteDoc {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path (`{id}` parameters), under /api. */
  readonly path: string;
  readonly summary: string;
  readonly access: RouteAccess;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Success status and body schema; undefined body = no content or a file stream. */
  readonly status?: number;
  readonly response?: z.ZodType;
}

const anyJson = z.unknown();
const runParams = api.runParamsSchema;

const ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'liveness',
    access: 'public',
    response: z.object({ status: z.literal('ok') }),
  },
  {
    method: 'get',
    path: '/ready',
    summary: 'readiness (database answers)',
    access: 'public',
    response: anyJson,
  },
  { method: 'get', path: '/openapi.json', summary: 'this document', access: 'public', response: anyJson },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'sign in; sets the nflab_session cookie',
    access: 'public',
    body: api.loginRequestSchema,
    response: api.sessionUserResponseSchema,
  },
  { method: 'post', path: '/auth/logout', summary: 'end this session', access: 'viewer', status: 204 },
  {
    method: 'get',
    path: '/auth/me',
    summary: 'the signed-in user',
    access: 'viewer',
    response: api.sessionUserResponseSchema,
  },
  {
    method: 'post',
    path: '/auth/tokens',
    summary: 'create an API token (shown once)',
    access: 'viewer',
    body: api.createTokenRequestSchema,
    status: 201,
    response: api.createTokenResponseSchema,
  },
  {
    method: 'get',
    path: '/auth/tokens',
    summary: 'your API tokens (everyone’s for admins)',
    access: 'viewer',
    response: api.listTokensResponseSchema,
  },
  {
    method: 'delete',
    path: '/auth/tokens/{id}',
    summary: 'revoke an API token',
    access: 'viewer',
    params: api.idParamsSchema,
    status: 204,
  },
  {
    method: 'get',
    path: '/users',
    summary: 'list accounts',
    access: 'admin',
    response: api.listUsersResponseSchema,
  },
  {
    method: 'post',
    path: '/users',
    summary: 'create an account',
    access: 'admin',
    body: api.createUserRequestSchema,
    status: 201,
    response: api.userDetailSchema,
  },
  {
    method: 'patch',
    path: '/users/{id}',
    summary: 'change role, password or disabled',
    access: 'admin',
    params: api.idParamsSchema,
    body: api.updateUserRequestSchema,
    response: api.userDetailSchema,
  },
  {
    method: 'get',
    path: '/audit',
    summary: 'the audit log, newest first (filters: since, user, action)',
    access: 'admin',
    query: api.auditQuerySchema,
    response: api.auditResponseSchema,
  },
  {
    method: 'get',
    path: '/data/tables',
    summary: 'panel tables',
    access: 'viewer',
    query: api.listTablesQuery,
    response: anyJson,
  },
  {
    method: 'get',
    path: '/data/tables/{table}/games',
    summary: 'games of a table',
    access: 'viewer',
    params: api.tableParams,
    response: anyJson,
  },
  {
    method: 'get',
    path: '/data/tables/{table}/games/{loto}/series',
    summary: 'series of a game',
    access: 'viewer',
    params: api.gameParams,
    response: anyJson,
  },
  {
    method: 'get',
    path: '/data/tables/{table}/preview',
    summary: 'first rows',
    access: 'viewer',
    params: api.tableParams,
    query: api.previewQuery,
    response: anyJson,
  },
  {
    method: 'get',
    path: '/data/tables/{table}/panel',
    summary: 'series as arrays with exogenous columns',
    access: 'viewer',
    params: api.tableParams,
    query: api.panelQuery,
    response: api.panelResponseSchema,
  },
  {
    method: 'get',
    path: '/data/tables/{table}/profile',
    summary: 'data-quality profile',
    access: 'viewer',
    params: api.tableParams,
    query: api.profileQuery,
    response: api.profileResponseSchema,
  },
  {
    method: 'get',
    path: '/models',
    summary: 'the model registry',
    access: 'viewer',
    response: api.listModelsResponseSchema,
  },
  {
    method: 'get',
    path: '/vocabulary',
    summary: 'the loss registry and the metric ids',
    access: 'viewer',
    response: api.vocabularyResponseSchema,
  },
  {
    method: 'get',
    path: '/schemas/run-spec',
    summary: 'run spec JSON Schema',
    access: 'viewer',
    response: anyJson,
  },
  {
    method: 'get',
    path: '/schemas/sweep-spec',
    summary: 'sweep spec JSON Schema',
    access: 'viewer',
    response: anyJson,
  },
  {
    method: 'post',
    path: '/specs/validate',
    summary: 'validate a run or sweep spec',
    access: 'viewer',
    body: api.validateSpecRequestSchema,
    response: api.validateSpecResponseSchema,
  },
  {
    method: 'post',
    path: '/sweeps/plan',
    summary: 'expand and check a sweep without starting it',
    access: 'viewer',
    body: api.planSweepRequestSchema,
    response: api.planSweepResponseSchema,
  },
  {
    method: 'get',
    path: '/runs',
    summary: 'run history: filter, sort, page',
    access: 'viewer',
    query: api.listRunsQuerySchema,
    response: api.listRunsResponseSchema,
  },
  {
    method: 'post',
    path: '/runs',
    summary: 'queue one run',
    access: 'editor',
    body: api.startRunRequestSchema,
    status: 201,
    response: api.startRunResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}',
    summary: 'every column of a run',
    access: 'viewer',
    params: runParams,
    response: api.runDetailSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/trials',
    summary: 'trials with params and intermediate values',
    access: 'viewer',
    params: runParams,
    response: api.listTrialsResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/step-metrics',
    summary: 'training losses per step',
    access: 'viewer',
    params: runParams,
    query: api.stepMetricsQuerySchema,
    response: api.listStepMetricsResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/resources',
    summary: 'resource samples',
    access: 'viewer',
    params: runParams,
    query: api.resourcesQuerySchema,
    response: api.listResourcesResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/predictions',
    summary: 'forecasts',
    access: 'viewer',
    params: runParams,
    query: api.predictionsQuerySchema,
    response: api.listPredictionsResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/cv',
    summary: 'cross-validation results',
    access: 'viewer',
    params: runParams,
    response: api.listCvResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/artifacts',
    summary: 'files the run wrote',
    access: 'viewer',
    params: runParams,
    response: api.listArtifactsResponseSchema,
  },
  {
    method: 'get',
    path: '/runs/{id}/artifacts/{artifactId}/download',
    summary: 'download one file',
    access: 'viewer',
    params: api.artifactParamsSchema,
  },
  {
    method: 'post',
    path: '/runs/{id}/cancel',
    summary: 'cancel a queued or running run',
    access: 'editor',
    params: runParams,
    response: api.cancelResponseSchema,
  },
  {
    method: 'post',
    path: '/runs/{id}/predict',
    summary: 'forecast with the saved model (new linked run)',
    access: 'editor',
    params: runParams,
    body: api.predictRequestSchema,
    status: 201,
    response: api.startRunResponseSchema,
  },
  {
    method: 'post',
    path: '/runs/{id}/refit',
    summary: 'refit on current data (new linked run)',
    access: 'editor',
    params: runParams,
    body: api.refitRequestSchema,
    status: 201,
    response: api.startRunResponseSchema,
  },
  {
    method: 'post',
    path: '/runs/{id}/cv',
    summary: 'cross-validate (new linked run)',
    access: 'editor',
    params: runParams,
    body: api.cvRequestSchema,
    status: 201,
    response: api.startRunResponseSchema,
  },
  {
    method: 'post',
    path: '/runs/{id}/promote',
    summary: 'register the run’s model at a stage (prod: admin)',
    access: 'editor',
    params: runParams,
    body: api.promoteRequestSchema,
    response: api.registryEntrySchema,
  },
  {
    method: 'get',
    path: '/sweeps',
    summary: 'sweeps, newest first',
    access: 'viewer',
    query: api.listSweepsQuerySchema,
    response: api.listSweepsResponseSchema,
  },
  {
    method: 'post',
    path: '/sweeps',
    summary: 'plan and queue a sweep',
    access: 'editor',
    body: api.startSweepRequestSchema,
    status: 201,
    response: api.startSweepResponseSchema,
  },
  {
    method: 'get',
    path: '/sweeps/{id}',
    summary: 'a sweep with its run counts',
    access: 'viewer',
    params: api.sweepParamsSchema,
    response: api.sweepSchema,
  },
  {
    method: 'post',
    path: '/sweeps/{id}/cancel',
    summary: 'cancel every unfinished run of a sweep',
    access: 'editor',
    params: api.sweepParamsSchema,
    response: api.cancelResponseSchema,
  },
  {
    method: 'post',
    path: '/sweeps/{id}/resume',
    summary: 'queue the plan’s runs missing from the sweep and runs lost with a dead worker',
    access: 'editor',
    params: api.sweepParamsSchema,
    response: api.resumeSweepResponseSchema,
  },
  {
    method: 'get',
    path: '/events',
    summary: 'live events (text/event-stream); Last-Event-ID replays',
    access: 'viewer',
    query: api.eventsQuerySchema,
  },
];

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
  content: { 'application/json': { schema: jsonSchema(api.errorBodySchema, 'output') } },
});

const operation = (route: RouteDoc): Record<string, unknown> => {
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

/** Builds the OpenAPI document of every documented route. */
export const openApiDocument = (): Record<string, unknown> => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTE_DOCS) (paths[`/api${route.path}`] ??= {})[route.method] = operation(route);
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
  ROUTE_DOCS.map((route) => `${route.method.toUpperCase()} /api${route.path}`);
