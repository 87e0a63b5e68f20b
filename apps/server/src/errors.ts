import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, isLabError, type InputIssue } from '@nflab/contracts';

/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** For invalid input: every field that was wrong. */
    readonly issues?: readonly InputIssue[];
  };
}

/**
 * The one place errors become HTTP responses: lab errors map their code to a status; Fastify's
 * own validation/parse errors are 400; anything else is a bug. Every 5xx is logged with its stack
 * and cause and answered without internals (no query, host, port or driver text).
 */
export const errorHandler = (
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void => {
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
    void reply.status(error.status).send(body);
    return;
  }
  const status = (error as FastifyError).statusCode;
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
