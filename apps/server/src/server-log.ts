/**
 * The server's structured log: pino JSON lines to stdout and/or a file, one line per request
 * (request id, method, route, status, duration, user id) and every 5xx with its stack and cause.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { trace } from '@opentelemetry/api';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream } from 'pino';

/** Where the server log goes. */
export interface ServerLogTargets {
  /** Write to stdout. */
  readonly stdout: boolean;
  /** Also append to this file (created with its folder). */
  readonly file?: string;
}

/**
 * Fastify's own request logging writes two lines per request ("incoming request", "request
 * completed") without the route or the user; this writes the one line we want instead, at error
 * level for a 5xx. Stream, serializer and write-head errors keep Fastify's default lines.
 */
class RequestLineController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(): void {}

  // The request line says 404 with the URL; a second "route not found" line adds nothing.
  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const status = reply.statusCode;
    const line = {
      method: request.method,
      // The matched route's pattern (`/api/runs/:id`), so lines group by route; null when none matched.
      route: request.routeOptions.url ?? null,
      url: request.url,
      status,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      user_id: request.user?.id ?? null,
      ...(error ? { err: error } : {}),
    };
    if (status >= 500 || error) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  }
}

/** Fastify's logger options for `targets`: pino over a multistream, or no logging at all. */
/** The active span's ids, so a log line finds its trace (and a trace its lines). */
const traceIdsOfActiveSpan = (): Record<string, string> => {
  const span = trace.getActiveSpan()?.spanContext();
  return span === undefined ? {} : { trace_id: span.traceId, span_id: span.spanId };
};

export const serverLoggerOptions = (
  targets: ServerLogTargets & {
    /** Add the active span's trace_id and span_id to every line (when tracing is on). @default false */
    readonly traceIds?: boolean;
  },
): Pick<FastifyServerOptions, 'logger' | 'logController' | 'genReqId'> => {
  const streams: pino.StreamEntry[] = [];
  if (targets.stdout) streams.push({ stream: pino.destination({ dest: 1, sync: false }) });
  if (targets.file !== undefined) {
    mkdirSync(dirname(targets.file), { recursive: true });
    // Synchronous: the lines of a request that crashes the process are on disk before it exits.
    streams.push({ stream: pino.destination({ dest: targets.file, sync: true }) });
  }
  if (streams.length === 0) return { logger: false };
  const stream: DestinationStream = pino.multistream(streams);
  return {
    logger: { level: 'info', stream, ...(targets.traceIds === true ? { mixin: traceIdsOfActiveSpan } : {}) },
    logController: new RequestLineController(),
    genReqId: () => randomUUID(),
  };
};
