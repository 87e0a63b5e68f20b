import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, isLabError, type InputIssue } from '@nflab/contracts';
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

/**
 * The one place errors become HTTP responses: lab errors map their code to a status; Fastify's
 * own validation/parse errors are 400; anything else is a bug, logged and answered 500 without
 * leaking internals.
 */
export const errorHandler = (
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void => {
  if (isLabError(error)) {
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
  request.log.error(error);
  void reply
    .status(500)
    .send({ error: { code: 'internal', message: 'internal server error' } } satisfies ErrorBody);
};
