import type { FastifyPluginAsync } from 'fastify';
import { OPENAPI_ROUTES } from '@nflab/contracts';
import { openApiDocument } from '../openapi.js';
import { attach } from './attach.js';

/** `GET /api/openapi.json`, public so API clients can be generated before signing in. */
export const openApiRoutes: FastifyPluginAsync = async (app) => {
  const document = openApiDocument();
  attach(app, OPENAPI_ROUTES.openApi, async () => document);
};
