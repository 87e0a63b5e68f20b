/** Serves the web build (apps/web/dist) at `/`, with the SPA's client-side routes falling back to index.html. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '@nflab/contracts';

/** apps/web/dist, found from this file whether it runs from src/ or dist/. */
export const defaultWebRoot = (): string => fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Serves `root` when it holds an index.html (the UI has been built); every other unknown path is
 * a JSON 404 in the API's error shape. GETs outside `/api` that match no file get index.html so
 * deep links like /runs/<id> load the app.
 */
export const serveWeb = async (app: FastifyInstance, root: string | false): Promise<void> => {
  const hasBuild = root !== false && existsSync(join(root, 'index.html'));
  if (hasBuild) await app.register(fastifyStatic, { root, prefix: '/', index: 'index.html' });
  app.setNotFoundHandler(async (request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/api';
    if (hasBuild && isPage) return reply.type('text/html').sendFile('index.html');
    throw new NotFoundError(`no route ${request.method} ${request.url.split('?')[0]}`);
  });
};
