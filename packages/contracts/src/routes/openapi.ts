/** The OpenAPI document itself. */
import { anyJsonSchema, defineRoute } from './define.js';

/** `GET /api/openapi.json`, public so API clients can be generated before signing in. */
export const OPENAPI_ROUTES = {
  openApi: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'this document',
    access: 'public',
    response: anyJsonSchema,
  }),
} as const;
