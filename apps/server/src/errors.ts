import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, isLabError, StoreError, UnavailableError, type InputIssue } from '@nflab/contracts';
import { isConnectionError } from '@nflab/runner';
import { TooManyAttemptsError } from './auth/errors.js';

/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** For invalid input: every field that was wrong. */
    readonly issues?: readonly InputIssue[];
  };
}

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The answer while the database is unreachable: no host, port or driver text, which help only an attacker. */
const databaseUnavailable = (requestId: string): ErrorBody => ({
  error: {
    code: 'unavailable',
    message: `the lab database is unavailable right now; try again shortly (request id ${requestId})`,
  },
});

/** The answer to a query the database refused for a reason other than its connection. */
const databaseFailed = (requestId: string): ErrorBody => ({
  error: {
    code: 'store',
    message: `a database query failed (request id ${requestId}); the server log has the details`,
  },
});

/**
 * The one place errors become HTTP responses: a lost or refused database connection is 503 (the
 * request may succeed later); lab errors map their code to a status; Fastify's own
 * validation/parse errors are 400; anything else is a bug. Every 5xx is logged with its stack and
 * cause and answered without internals (no query, host, port or driver text).
 */
export const errorHandler = (
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void => {
  // Only through a StoreError: an ECONNRESET of the client's own socket is no database outage.
  if (error instanceof StoreError && isConnectionError(error)) {
    request.log.error({ err: error }, 'database unavailable');
    void reply
      .status(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
      .send(databaseUnavailable(request.id));
    return;
  }
  if (error instanceof StoreError) {
    // The driver's text names tables, columns and values: it belongs in the log, not the answer.
    request.log.error({ err: error }, 'request failed');
    void reply.status(error.status).send(databaseFailed(request.id));
    return;
  }
  if (error instanceof UnavailableError) {
    // A missing or busy helper (the PDF renderer's Chromium): its message names no internals and
    // tells the caller what to do, so it is sent as it is.
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    void reply
      .status(error.status)
      .send({ error: { code: error.code, message: error.message } } satisfies ErrorBody);
    return;
  }
  if (isLabError(error)) {
    if (error.status >= 500) {
      // The database failing (an outage, a bug in SQL): its message names the host, port and
      // driver, so the cause goes to the server log and the client gets the request id to quote.
      request.log.error({ err: error }, 'request failed');
      const message = `the server could not complete the request (request id ${request.id}); the server log has the cause`;
      void reply.status(error.status).send({ error: { code: error.code, message } } satisfies ErrorBody);
      return;
    }
    const issues = error instanceof InputError ? { issues: error.issues } : {};
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...issues } };
    if (error instanceof TooManyAttemptsError)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    void reply.status(error.status).send(body);
    return;
  }
  const status = (error as FastifyError).statusCode;
  if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    const message = `body: larger than the ${limit} bytes a request may carry — send a smaller spec`;
    void reply.status(413).send({ error: { code: 'config', message } } satisfies ErrorBody);
    return;
  }
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.status(status).send({ error: { code: 'config', message: error.message } } satisfies ErrorBody);
    return;
  }
  // The stack and its causes (pino appends them) go to the server log, never to the client.
  request.log.error({ err: error }, 'request failed');
  void reply
    .status(500)
    .send({ error: { code: 'internal', message: 'internal server error' } } satisfies ErrorBody);
};
