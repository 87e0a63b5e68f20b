import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_MAX_JSON_DEPTH, resolveMaxCombinations } from '@nflab/contracts';
import { createPrometheusSink, type ExportCredentials } from '@nflab/runner';
import { dataScopeFromEnv, listenForEvents, type DataScope, type Db, type Queryable } from '@nflab/store';
import { defaultArtifactRoot } from './artifact-files.js';
import { requireAccess, type DeclaredRoute } from './auth/access.js';
import { LoginThrottle, type LoginThrottleOptions } from './auth/login-throttle.js';
import { createAuditLog, type AuditLog } from './audit/audit-log.js';
import { auditDenied } from './audit/denied.js';
import { authenticate } from './auth/plugin.js';
import { refuseWhileDraining } from './drain.js';
import { errorHandler } from './errors.js';
import { resolveGrafanaUrl } from './grafana-link.js';
import { EventHub } from './events/hub.js';
import { DEFAULT_BODY_LIMIT, limitJsonDepth } from './json-body.js';
import { createLabMetrics, type LabMetrics } from './metrics/lab-metrics.js';
import { resolveMetricsToken } from './metrics/scrape-token.js';
import { rejectUnstorableText } from './text-guard.js';
import { startServerExports } from './exports.js';
import { startServerMonitors } from './monitors.js';
import { startServerReaper } from './reaper.js';
import { DEFAULT_EVENT_RETENTION_DAYS, startMaintenance } from './events/maintenance.js';
import { metricsRoutes } from './routes/metrics.js';
import { MLFLOW_ROUTE_PLUGINS, ROUTES } from './routes/registry.js';
import { registerSecurityHeaders } from './security-headers.js';
import { serverLoggerOptions } from './server-log.js';
import { defaultWebRoot, serveWeb } from './web.js';
import { startTracing } from './tracing/tracing.js';
import { startServerWorkers } from './workers.js';
import { PdfRenderer, type PdfOptions } from './reports/pdf.js';

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
   * The PostgreSQL server's URL, when `db` is one: a listening connection then delivers live events
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
  /**
   * Most combinations one sweep plan or sweep may form (a 400 past it).
   * @default $NFLAB_MAX_COMBINATIONS, else DEFAULT_MAX_COMBINATIONS (10,000)
   */
  readonly maxCombinations?: number;
  /** Largest request body in bytes (a 413 past it). @default 1 MiB */
  readonly bodyLimit?: number;
  /** Deepest nesting of a JSON body (a 400 past it). @default 64 */
  readonly maxJsonDepth?: number;
  /**
   * Trust X-Forwarded-For/-Proto/-Host from a reverse proxy (Fastify's `trustProxy`): true for
   * any peer, or a comma-separated list of the proxies' addresses/CIDRs (`127.0.0.1,10.0.0.0/8`,
   * or proxy-addr's names `loopback`, `uniquelocal`). Then the client's address (sign-in throttle,
   * sessions) and protocol (session cookies are Secure behind TLS; the CSRF check's own origin)
   * are what the proxy reports. Leave it off when clients reach the server directly: they could
   * forge those headers. @default false
   */
  readonly trustProxy?: boolean | string;
  /** Sign-in throttling; see {@link LoginThrottleOptions} for each default. @default DEFAULT_LOGIN_THROTTLE */
  readonly loginThrottle?: LoginThrottleOptions;
  /**
   * How often the server marks runs whose worker died (whatever `workers` is). @default 2000, so
   * with the queue's 25 s heartbeat limit a killed worker's run is marked within 30 s
   */
  readonly reapIntervalMs?: number;
  /**
   * Where the data routes read data tables from: on a PostgreSQL server, a connection as a role
   * that may only read the data tables (see `openDataReader`), so a flaw in a data route cannot
   * reach the lab's own tables. The server does not close it. @default db
   */
  readonly dataDb?: Queryable;
  /**
   * The token Prometheus sends (`Authorization: Bearer <token>`) to scrape `GET /metrics`, at
   * least 16 characters; false or unset serves no metrics (`/metrics` answers 404).
   * @default $NFLAB_METRICS_TOKEN
   */
  readonly metricsToken?: string | false;
  /**
   * Grafana's address as the lab's users reach it (`https://grafana.example.org`): each run's detail
   * then links to the provisioned training dashboard filtered to that run. False or unset: no link.
   * @default $NFLAB_GRAFANA_URL
   */
  readonly grafanaUrl?: string | false;
  /**
   * How often this server looks for due scheduled monitors (the database elects which server runs
   * each firing), or false for none. @default 15_000
   */
  readonly monitorIntervalMs?: number | false;
  /**
   * How often this server exports ended runs to their W&B and MLflow sinks (when WANDB_API_KEY or
   * MLFLOW_TRACKING_URI is set; the database decides which process sends each), or false for none.
   * @default 30_000
   */
  readonly exportIntervalMs?: number | false;
  /** The trackers' credentials the exporter uses. @default from the environment (exportCredentialsFrom) */
  readonly exportCredentials?: ExportCredentials;
  /** How PDF reports are rendered (Chromium path, concurrency, timeout). @default Debian's Chromium, one at a time, 60 s */
  readonly pdf?: PdfOptions;
}

/** What `GET /metrics` serves and the token it asks for, when metrics are on. */
export interface ScrapeEndpoint {
  readonly token: string;
  readonly metrics: LabMetrics;
}

/** Settings the routes read. */
export interface LabSettings {
  readonly artifactRoot: string;
  /** Worker slots of this server (0 = none). */
  readonly workers: number;
  /** Most combinations one sweep plan or sweep may form. */
  readonly maxCombinations: number;
  /** Which relations the data routes serve (NFLAB_DATA_SCHEMA, NFLAB_DATA_TABLES). */
  readonly dataScope: DataScope;
  /** Grafana's base URL for run pages' dashboard links (NFLAB_GRAFANA_URL); undefined: no links. */
  readonly grafanaUrl: string | undefined;
  /** Renders PDF reports, one bounded Chromium queue per server. */
  readonly pdf: PdfRenderer;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The lab database every route reads and writes. */
    readonly db: Db;
    /** Where data routes read data tables: the read-only data connection when set, else `db`. */
    readonly dataDb: Queryable;
    readonly lab: LabSettings;
    /** The live-event reader shared by every SSE client. */
    readonly events: EventHub;
    /** Failed sign-ins per username and address, and their lockouts. */
    readonly loginThrottle: LoginThrottle;
    /** Every route and who may call it, as declared (filled while routes register). */
    readonly routeAccess: readonly DeclaredRoute[];
    /** Where route handlers record security-relevant events (through `audit()`). */
    readonly audit: AuditLog;
    /** `/metrics` when a scrape token is configured; undefined while metrics are off. */
    readonly scrape: ScrapeEndpoint | undefined;
  }
}

/**
 * Builds the lab's HTTP server with every registered route plugin under `/api`. Each route
 * declares who may call it; the guard checks the matched route's declaration on every request.
 */
export const buildServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const maxCombinations = resolveMaxCombinations(options.maxCombinations, process.env);
  const metricsToken = resolveMetricsToken(options.metricsToken, process.env);
  const artifactRoot = options.artifactRoot ?? defaultArtifactRoot();
  const grafanaUrl = resolveGrafanaUrl(options.grafanaUrl, process.env);
  // Off (nothing loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing(process.env);
  const app = Fastify({
    ...serverLoggerOptions({
      stdout: options.logger ?? false,
      file: options.logFile,
      traceIds: tracing !== undefined,
    }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // refuseWhileDraining answers while the server closes: the probes say why, the rest is 503.
    return503OnClosing: false,
  });
  // First, so that every request and hook after it is in the request's span.
  if (tracing !== undefined) await app.register(tracing.fastifyPlugin());
  refuseWhileDraining(app);
  const scrape: ScrapeEndpoint | undefined =
    metricsToken === undefined
      ? undefined
      : {
          token: metricsToken,
          metrics: createLabMetrics({
            db: options.db,
            artifactRoot,
            // The hub is made below, from the timed database; the gauge reads it only when scraped.
            sseClients: (): number => events.subscribers,
            onDatabaseError: (err) => app.log.error({ err }, 'metrics: the database could not be read'),
          }),
        };
  // With metrics on, every statement the server sends (routes, workers, background jobs) is timed.
  const db: Db = scrape?.metrics.db ?? options.db;
  // Runs with the `prometheus` tracking sink that this server's workers execute show on /metrics
  // (the families are registered whether or not this server executes runs).
  const trackedRuns =
    scrape === undefined ? undefined : createPrometheusSink({ registry: scrape.metrics.registry });
  limitJsonDepth(app, options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH);
  const routeAccess: DeclaredRoute[] = [];
  app.addHook('onRoute', requireAccess(routeAccess));
  app.decorate('routeAccess', routeAccess);
  app.decorate('loginThrottle', new LoginThrottle(options.loginThrottle));
  app.decorate('db', db);
  app.decorate('dataDb', options.dataDb ?? db);
  app.decorate(
    'audit',
    createAuditLog({
      db,
      file: options.auditFile ?? false,
      onError: (err, entry, destination) =>
        app.log.error({ err, audit: entry, destination }, 'audit entry could not be written'),
    }),
  );
  const workerCount = options.workers ?? 0;
  app.decorate('lab', {
    artifactRoot,
    workers: workerCount,
    maxCombinations,
    dataScope: dataScopeFromEnv(),
    grafanaUrl,
    pdf: new PdfRenderer(options.pdf),
  });
  app.decorateRequest('user', null);
  const events = new EventHub(db, { pollMs: options.eventPollMs });
  app.decorate('events', events);
  const logError = (error: unknown): void => app.log.error(error);
  app.decorate('scrape', scrape);
  if (scrape !== undefined) app.addHook('onResponse', scrape.metrics.observeResponse);
  const retentionDays = options.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS;
  let stopMaintenance: (() => void) | undefined;
  let stopReaper: (() => Promise<void>) | undefined;
  let stopMonitors: (() => Promise<void>) | undefined;
  let stopExports: (() => Promise<void>) | undefined;
  const monitorIntervalMs = options.monitorIntervalMs ?? 15_000;
  const exportIntervalMs = options.exportIntervalMs ?? 30_000;
  app.addHook('onReady', async () => {
    if (monitorIntervalMs !== false)
      stopMonitors = startServerMonitors({
        db,
        data: app.dataDb,
        scope: app.lab.dataScope,
        intervalMs: monitorIntervalMs,
        audit: app.audit,
        log: app.log,
        ...(scrape === undefined ? {} : { countAlert: scrape.metrics.countMonitorAlert }),
      });
    if (exportIntervalMs !== false)
      stopExports = startServerExports({
        db,
        intervalMs: exportIntervalMs,
        log: app.log,
        artifactRoot: app.lab.artifactRoot,
        ...(options.exportCredentials === undefined ? {} : { credentials: options.exportCredentials }),
        ...(scrape === undefined ? {} : { countExport: scrape.metrics.countRunExport }),
      });
    stopMaintenance = startMaintenance(db, retentionDays, logError);
    stopReaper = startServerReaper(db, {
      ...(options.reapIntervalMs !== undefined ? { intervalMs: options.reapIntervalMs } : {}),
      onReaped: (runIds) => {
        scrape?.metrics.countReaped(runIds.length);
        app.log.warn({ runIds }, 'worker lost: runs marked failed or requeued');
      },
      onError: logError,
    });
  });
  const stopListening =
    options.databaseUrl === undefined
      ? undefined
      : await listenForEvents(options.databaseUrl, () => events.wake(), logError);
  // The server's own reaper (above) covers every worker count, so the slots do not reap too.
  const workers =
    workerCount > 0
      ? startServerWorkers(db, {
          concurrency: workerCount,
          artifactRoot,
          onError: logError,
          ...(trackedRuns === undefined ? {} : { prometheus: trackedRuns }),
          ...(tracing === undefined ? {} : { threadTracing: tracing.threadTracing }),
        })
      : undefined;
  // preClose, not onClose: open event streams must end before Fastify waits for connections to drain.
  app.addHook('preClose', async () => {
    stopMaintenance?.();
    await stopReaper?.();
    await stopMonitors?.();
    await stopExports?.();
    events.stop();
    await stopListening?.();
    await workers?.stop(options.shutdownGraceMs ?? 30_000);
  });
  // Spans wait in a batch for up to seconds: a server that stops normally sends them first.
  if (tracing !== undefined) app.addHook('onClose', () => tracing.flush());
  app.setErrorHandler(errorHandler);
  await registerSecurityHeaders(app);
  app.addHook('onSend', auditDenied);
  await app.register(cookie);
  app.addHook('onRequest', authenticate);
  app.addHook('preValidation', rejectUnstorableText);
  for (const route of Object.values(ROUTES)) await app.register(route, { prefix: '/api' });
  // MLflow's own web UI calls its server under /ajax-api; the same routes (same access rules) answer there.
  for (const route of MLFLOW_ROUTE_PLUGINS) await app.register(route, { prefix: '/ajax-api' });
  // Outside /api, where Prometheus looks; registered whether or not metrics are on, so that
  // /metrics is never the web app's page.
  await app.register(metricsRoutes);
  await serveWeb(app, options.webRoot ?? defaultWebRoot());
  return app;
};
