import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '@nflab/store';
import { defaultArtifactRoot } from './artifact-files.js';
import { authenticate } from './auth/plugin.js';
import { errorHandler } from './errors.js';
import { ROUTES } from './routes/registry.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The lab database, already migrated; the server does not close it. */
  readonly db: Db;
  /** Log requests with pino. @default false */
  readonly logger?: boolean;
  /** Folder artifact downloads are confined to. @default `$NFLAB_HOME/artifacts` */
  readonly artifactRoot?: string;
}

/** Settings the routes read. */
export interface LabSettings {
  readonly artifactRoot: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The lab database every route reads and writes. */
    readonly db: Db;
    readonly lab: LabSettings;
  }
}

/** Builds the lab's HTTP server with every registered route plugin under `/api`, all behind auth. */
export const buildServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({ logger: options.logger ?? false });
  app.decorate('db', options.db);
  app.decorate('lab', { artifactRoot: options.artifactRoot ?? defaultArtifactRoot() });
  app.decorateRequest('user', null);
  app.setErrorHandler(errorHandler);
  await app.register(cookie);
  app.addHook('onRequest', authenticate);
  for (const route of Object.values(ROUTES)) await app.register(route, { prefix: '/api' });
  return app;
};
