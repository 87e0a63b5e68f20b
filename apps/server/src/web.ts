/** Serves the web build (apps/web/dist) at `/`, with the SPA's client-side routes falling back to index.html. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '@nflab/contracts';
import { declarePublicScope } from './auth/access.js';
import { errorHandler } from './errors.js';

const notFound = (request: FastifyRequest): NotFoundError =>
  new NotFoundError(`no route ${request.method} ${request.url.split('?')[0]}`);

/** apps/web/dist, found from this file whether it runs from src/ or dist/. */
export const defaultWebRoot = (): string => fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Serves `root` when it holds an index.html (the UI has been built); every other unknown path is
 * a JSON 404 in the API's error shape. GETs outside `/api` that match no file get index.html so
 * deep links like /runs/<id> load the app. The shell and its assets load before anyone signs in:
 * their routes are declared public, in a scope of their own.
 */
export const serveWeb = async (app: FastifyInstance, root: string | false): Promise<void> => {
  const hasBuild = root !== false && existsSync(join(root, 'index.html'));
  if (hasBuild) {
    // Here only `reply.sendFile` for the not-found handler; the file routes live in the public scope.
    await app.register(fastifyStatic, { root, serve: false });
    await app.register(async (files) => {
      declarePublicScope(files);
      // @fastify/static refuses non-canonical paths (`//`, `/./`) with 403; to a client they are
      // unknown paths like any other.
      files.setErrorHandler((error: FastifyError, request, reply) => {
        const refused = error.code === 'FST_STATIC_FORBIDDEN_PATH';
        errorHandler(refused ? notFound(request) : error, request, reply);
      });
      await files.register(fastifyStatic, { root, prefix: '/', index: 'index.html', decorateReply: false });
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/api';
    if (hasBuild && isPage) return reply.type('text/html').sendFile('index.html');
    throw notFound(request);
  });
};
