import type { FastifyPluginAsync } from 'fastify';
import { openApiDocument } from '../openapi.js';

/** `GET /api/openapi.json`, public so API clients can be generated before signing in. */
export const openApiRoutes: FastifyPluginAsync = async (app) => {
  const document = openApiDocument();
  app.get('/openapi.json', { config: { access: 'public' } }, async () => document);
};
