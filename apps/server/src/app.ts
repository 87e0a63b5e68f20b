import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '@nflab/store';
import { authenticate } from './auth/plugin.js';
import { errorHandler } from './errors.js';
import { ROUTES } from './routes/registry.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The lab database, already migrated; the server does not close it. */
  readonly db: Db;
  /** Log requests with pino. @default false */
  readonly logger?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The lab database every route reads and writes. */
    readonly db: Db;
  }
}

/** Builds the lab's HTTP server with every registered route plugin under `/api`, all behind auth. */
export const buildServer = async ({ db, logger = false }: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({ logger });
  app.decorate('db', db);
  app.decorateRequest('user', null);
  app.setErrorHandler(errorHandler);
  await app.register(cookie);
  app.addHook('onRequest', authenticate);
  for (const route of Object.values(ROUTES)) await app.register(route, { prefix: '/api' });
  return app;
};
