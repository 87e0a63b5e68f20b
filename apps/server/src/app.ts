import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '@nflab/store';
import { defaultArtifactRoot } from './artifact-files.js';
import { createAuditLog, type AuditLog } from './audit/audit-log.js';
import { auditDenied } from './audit/denied.js';
import { authenticate } from './auth/plugin.js';
import { errorHandler } from './errors.js';
import { EventHub } from './events/hub.js';
import { listenForEvents } from './events/listen.js';
import { DEFAULT_EVENT_RETENTION_DAYS, startMaintenance } from './events/maintenance.js';
import { ROUTES } from './routes/registry.js';
import { serverLoggerOptions } from './server-log.js';
import { defaultWebRoot, serveWeb } from './web.js';
import { startServerWorkers } from './workers.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The lab database, already migrated; the server does not close it. */
  readonly db: Db;
  /** Write the server log (one JSON line per request, 5xx with stacks) to stdout. @default false */
  readonly logger?: boolean;
  /** Also append the server log to this file, e.g. `$NFLAB_HOME/server.log`. @default none */
  readonly logFile?: string;
  /**
   * The audit log's JSON-lines file (entries always go to `nf_audit_log` too), or false for the
   * table alone. `nflab serve` passes `$NFLAB_HOME/audit.jsonl`; the default is false so that a
   * server built in a test or a script does not append to a lab home it was not given.
   * @default false
   */
  readonly auditFile?: string | false;
  /** Folder artifact downloads are confined to. @default `$NFLAB_HOME/artifacts` */
  readonly artifactRoot?: string;
  /**
   * The PostgreSQL server's URL, when `db` is one: a LISTEN connection then delivers live events
   * at once instead of on the next poll.
   */
  readonly databaseUrl?: string;
  /** Poll interval of the live-event reader. @default 200 */
  readonly eventPollMs?: number;
  /** Days live events are kept for replay. @default 7 */
  readonly eventRetentionDays?: number;
  /** The web build to serve at `/`, or false for the API alone. @default apps/web/dist when it is built */
  readonly webRoot?: string | false;
  /**
   * Runs this server executes at once (0: it only queues them, `nflab worker` processes execute).
   * On the embedded database the server is the only process that can, so `nflab serve` starts 1.
   * @default 0
   */
  readonly workers?: number;
  /** How long running runs may take to finish when the server stops, before they are requeued. @default 30_000 */
  readonly shutdownGraceMs?: number;
}

/** Settings the routes read. */
export interface LabSettings {
  readonly artifactRoot: string;
  /** Worker slots of this server (0 = none). */
  readonly workers: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The lab database every route reads and writes. */
    readonly db: Db;
    readonly lab: LabSettings;
    /** The live-event reader shared by every SSE client. */
    readonly events: EventHub;
    /** Where route handlers record security-relevant events (through `audit()`). */
    readonly audit: AuditLog;
  }
}

/** Builds the lab's HTTP server with every registered route plugin under `/api`, all behind auth. */
export const buildServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify(serverLoggerOptions({ stdout: options.logger ?? false, file: options.logFile }));
  app.decorate('db', options.db);
  app.decorate(
    'audit',
    createAuditLog({
      db: options.db,
      file: options.auditFile ?? false,
      onError: (err, entry, destination) =>
        app.log.error({ err, audit: entry, destination }, 'audit entry could not be written'),
    }),
  );
  const artifactRoot = options.artifactRoot ?? defaultArtifactRoot();
  const workerCount = options.workers ?? 0;
  app.decorate('lab', { artifactRoot, workers: workerCount });
  app.decorateRequest('user', null);
  const events = new EventHub(options.db, { pollMs: options.eventPollMs });
  app.decorate('events', events);
  const logError = (error: unknown): void => app.log.error(error);
  const retentionDays = options.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS;
  let stopMaintenance: (() => void) | undefined;
  app.addHook('onReady', async () => {
    stopMaintenance = startMaintenance(options.db, retentionDays, logError);
  });
  const stopListening =
    options.databaseUrl === undefined
      ? undefined
      : await listenForEvents(options.databaseUrl, () => events.wake(), logError);
  const workers =
    workerCount > 0
      ? startServerWorkers(options.db, { concurrency: workerCount, artifactRoot, onError: logError })
      : undefined;
  // preClose, not onClose: open event streams must end before Fastify waits for connections to drain.
  app.addHook('preClose', async () => {
    stopMaintenance?.();
    events.stop();
    await stopListening?.();
    await workers?.stop(options.shutdownGraceMs ?? 30_000);
  });
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', auditDenied);
  await app.register(cookie);
  app.addHook('onRequest', authenticate);
  for (const route of Object.values(ROUTES)) await app.register(route, { prefix: '/api' });
  await serveWeb(app, options.webRoot ?? defaultWebRoot());
  return app;
};
