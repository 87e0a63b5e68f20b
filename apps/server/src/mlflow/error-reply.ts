/**
 * The MLflow routes' error handler: every refusal is MLflow's `{ error_code, message }` with the
 * status MLflow's server uses, so MLflow clients raise `MlflowException`s with the right codes —
 * the guard's 401/403, the lab's input checks and database outages included. 5xx answers carry
 * the request id only; the cause goes to the server log, as in the lab's own handler.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, isLabError, StoreError, type ErrorCode } from '@nflab/contracts';
import { MLFLOW_ERROR_STATUS, MlflowError, type MlflowErrorCode } from '@nflab/store';
import { isConnectionError } from '@nflab/runner';
import { TooManyAttemptsError } from '../auth/errors.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../errors.js';

/** MLflow's error body. */
export interface MlflowErrorBody {
  readonly error_code: MlflowErrorCode;
  readonly message: string;
}

// The MLflow code a lab error code becomes.
const FROM_LAB: Record<ErrorCode, MlflowErrorCode> = {
  config: 'INVALID_PARAMETER_VALUE',
  not_found: 'RESOURCE_DOES_NOT_EXIST',
  conflict: 'INVALID_STATE',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  cross_origin: 'PERMISSION_DENIED',
  rate_limited: 'REQUEST_LIMIT_EXCEEDED',
  unavailable: 'TEMPORARILY_UNAVAILABLE',
  training: 'INVALID_STATE',
  store: 'INTERNAL_ERROR',
  internal: 'INTERNAL_ERROR',
};

const send = (reply: FastifyReply, status: number, body: MlflowErrorBody): void => {
  void reply.status(status).send(body);
};

/** Fastify error handler for the MLflow route plugins. */
export const mlflowErrorHandler = (
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void => {
  if (error instanceof MlflowError && error.mlflowStatus < 500) {
    send(reply, error.mlflowStatus, { error_code: error.mlflowCode, message: error.message });
    return;
  }
  if (error instanceof StoreError && isConnectionError(error)) {
    request.log.error({ err: error }, 'database unavailable');
    void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    send(reply, 503, {
      error_code: 'TEMPORARILY_UNAVAILABLE',
      message: `the lab database is unavailable right now; try again shortly (request id ${request.id})`,
    });
    return;
  }
  if (isLabError(error) && !(error instanceof StoreError) && error.status < 500) {
    const code = FROM_LAB[error.code];
    const issues =
      error instanceof InputError
        ? `: ${error.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`
        : '';
    if (error instanceof TooManyAttemptsError)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    send(reply, MLFLOW_ERROR_STATUS[code], { error_code: code, message: `${error.message}${issues}` });
    return;
  }
  const status = (error as FastifyError).statusCode;
  if (!isLabError(error) && status !== undefined && status >= 400 && status < 500) {
    // Fastify's own refusals: a body that is not JSON, too large, of an unknown content type.
    const code: MlflowErrorCode =
      (error as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'INVALID_PARAMETER_VALUE'
        : 'MALFORMED_REQUEST';
    send(reply, status, { error_code: code, message: error.message });
    return;
  }
  request.log.error({ err: error }, 'request failed');
  send(reply, 500, {
    error_code: 'INTERNAL_ERROR',
    message: `the server could not complete the request (request id ${request.id}); the server log has the cause`,
  });
};
