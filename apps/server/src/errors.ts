import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isLabError } from '@nflab/contracts';

/** The body of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
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
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    void reply.status(error.status).send(body);
    return;
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.status(status).send({ error: { code: 'config', message: error.message } } satisfies ErrorBody);
    return;
  }
  request.log.error(error);
  void reply
    .status(500)
    .send({ error: { code: 'internal', message: 'internal server error' } } satisfies ErrorBody);
};
