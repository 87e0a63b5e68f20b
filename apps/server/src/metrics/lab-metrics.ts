/**
 * The metrics one lab server exposes at `/metrics`, in a prom-client Registry of its own (never the
 * global default one, so several servers in one process — tests — keep apart): the process and
 * Node.js defaults (CPU, memory, event-loop lag, GC), HTTP requests by matched route, live-event
 * clients, the database pool and the latency of every statement the lab sends it, runs the reaper marked lost, free space for artifacts, and the queue
 * and training metrics read from the database.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { StoreError } from '@nflab/contracts';
import { observeQueries, readLabMetrics, STATEMENT_KINDS, type Db } from '@nflab/store';
import { createProcessMetrics } from './process-metrics.js';
import { createQueueMetrics, QUEUE_METRICS_BUCKETS } from './queue-metrics.js';

/** Options of {@link createLabMetrics}. */
export interface LabMetricsOptions {
  readonly db: Db;
  /** The artifact folder, whose filesystem's free space is reported. */
  readonly artifactRoot: string;
  /** Live-event (SSE) clients connected now. */
  readonly sseClients: () => number;
  /** Told when a scrape could not read the database (the scrape still answers, without those metrics). */
  readonly onDatabaseError: (error: unknown) => void;
}

/** A server's metrics. */
export interface LabMetrics {
  readonly registry: Registry;
  /**
   * The options' database with every statement timed in `nflab_db_query_duration_seconds`: the
   * server hands this one to its routes, workers and background jobs.
   */
  readonly db: Db;
  /** The Content-Type of {@link LabMetrics.render}'s text. */
  readonly contentType: string;
  /** onResponse hook: counts the request and its duration under its matched route's pattern. */
  readonly observeResponse: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Counts runs the server's reaper just marked lost. */
  readonly countReaped: (runs: number) => void;
  /** Counts an alert raised by a scheduled monitor of this server (monitor names are admin-made, so bounded). */
  readonly countMonitorAlert: (monitor: string) => void;
  /** Counts one export attempt of a run to a tracker: exported, retry (due again later) or failed (given up). */
  readonly countRunExport: (sink: string, outcome: 'exported' | 'retry' | 'failed') => void;
  /** Reads the database and renders every metric in Prometheus's text format. */
  readonly render: () => Promise<string>;
}

/** The route label of a request: its matched route's pattern, never the URL (unbounded). */
const routeLabel = (request: FastifyRequest): string =>
  request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');

const httpMetrics = (registry: Registry): LabMetrics['observeResponse'] => {
  const requests = new Counter({
    name: 'nflab_http_requests_total',
    help: 'HTTP requests answered, by method, matched route pattern (or "unmatched") and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nflab_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to the end of its answer, by method and matched route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return async (request, reply) => {
    const route = routeLabel(request);
    requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  };
};

const poolMetrics = (registry: Registry, db: Db): void => {
  const stats = db.poolStats;
  // PGlite is one embedded connection: no pool to report.
  if (stats === undefined) return;
  const registers = [registry];
  new Gauge({
    name: 'nflab_db_pool_connections',
    help: 'Open connections of the database pool, idle or in use.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const now = stats();
      this.set({ state: 'idle' }, now.idle);
      this.set({ state: 'in_use' }, now.inUse);
    },
  });
  new Gauge({
    name: 'nflab_db_pool_waiting_queries',
    help: 'Queries and transactions waiting for a connection of the database pool.',
    registers,
    collect() {
      this.set(stats().waiting);
    },
  });
  new Gauge({
    name: 'nflab_db_pool_max_connections',
    help: 'Most connections the database pool opens.',
    registers,
    collect() {
      this.set(stats().max);
    },
  });
};

/** Statement latency bounds in seconds: an indexed read takes well under a millisecond, a results transaction's insert of many rows seconds. */
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The database whose statements are timed, by statement kind (never SQL text) and outcome. */
const timedDb = (registry: Registry, db: Db): Db => {
  const duration = new Histogram({
    name: 'nflab_db_query_duration_seconds',
    help:
      'Time from sending a statement to the lab database to its answer (waiting for a pool connection ' +
      'included), by statement kind (select, insert, update, delete, ddl, transaction, other) and outcome (ok, error).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: QUERY_BUCKETS,
    registers: [registry],
  });
  // Every kind starts at zero, so rate() and histogram_quantile() see a series before its first statement.
  for (const operation of STATEMENT_KINDS) duration.zero({ operation, outcome: 'ok' });
  return observeQueries(db, ({ kind, seconds, ok }) =>
    duration.observe({ operation: kind, outcome: ok ? 'ok' : 'error' }, seconds),
  );
};

/** Creates the registry and every metric of one server. */
export const createLabMetrics = (options: LabMetricsOptions): LabMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const observeResponse = httpMetrics(registry);
  new Gauge({
    name: 'nflab_sse_clients',
    help: 'Live-event (Server-Sent Events) clients connected.',
    registers: [registry],
    collect() {
      this.set(options.sseClients());
    },
  });
  poolMetrics(registry, options.db);
  const db = timedDb(registry, options.db);
  const { countReaped } = createProcessMetrics(registry, { artifactRoot: options.artifactRoot });
  const queue = createQueueMetrics(registry);
  const monitorAlerts = new Counter({
    name: 'nflab_monitor_alerts_total',
    help: 'Alerts raised by scheduled monitors this server ran (a drift check that crossed its thresholds), by monitor.',
    labelNames: ['monitor'] as const,
    registers: [registry],
  });
  const countMonitorAlert = (monitor: string): void => monitorAlerts.inc({ monitor });
  const runExports = new Counter({
    name: 'nflab_run_exports_total',
    help: 'Export attempts of ended runs to external trackers by this server, by sink and outcome (exported, retry, failed).',
    labelNames: ['sink', 'outcome'] as const,
    registers: [registry],
  });
  const countRunExport = (sink: string, outcome: 'exported' | 'retry' | 'failed'): void =>
    runExports.inc({ sink, outcome });
  const databaseUp = new Gauge({
    name: 'nflab_database_up',
    help: '1 when the last scrape read the queue and training metrics from the database, else 0.',
    registers: [registry],
  });

  const renderOnce = async (): Promise<string> => {
    try {
      queue.update(await readLabMetrics(db, QUEUE_METRICS_BUCKETS));
      databaseUp.set(1);
    } catch (error) {
      // A database outage must not hide the process metrics; anything else is a bug.
      if (!(error instanceof StoreError)) throw error;
      queue.clear();
      databaseUp.set(0);
      options.onDatabaseError(error);
    }
    return registry.metrics();
  };
  // Scrapes arriving together share one database read (and one consistent set of values).
  let rendering: Promise<string> | undefined;
  const render = (): Promise<string> => {
    rendering ??= renderOnce().finally(() => {
      rendering = undefined;
    });
    return rendering;
  };
  return {
    registry,
    db,
    contentType: registry.contentType,
    observeResponse,
    countReaped,
    countMonitorAlert,
    countRunExport,
    render,
  };
};
