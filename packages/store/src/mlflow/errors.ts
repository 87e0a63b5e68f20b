/**
 * MLflow's error vocabulary: the MLflow-compatible API answers `{ error_code, message }` with the
 * status MLflow's own server uses for each code, so MLflow clients raise the exceptions they expect.
 */
import { LabError, type ErrorCode } from '@nflab/contracts';

/** MLflow error codes the lab answers with, and the HTTP status MLflow's server gives each. */
export const MLFLOW_ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  MALFORMED_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  ENDPOINT_NOT_FOUND: 404,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

/** One of MLflow's error codes. */
export type MlflowErrorCode = keyof typeof MLFLOW_ERROR_STATUS;

// The lab code the same failure carries elsewhere (logs, audit), so it stays a LabError.
const LAB_CODE: Record<MlflowErrorCode, ErrorCode> = {
  INVALID_PARAMETER_VALUE: 'config',
  MALFORMED_REQUEST: 'config',
  RESOURCE_ALREADY_EXISTS: 'conflict',
  INVALID_STATE: 'conflict',
  RESOURCE_DOES_NOT_EXIST: 'not_found',
  UNAUTHENTICATED: 'unauthenticated',
  PERMISSION_DENIED: 'forbidden',
  ENDPOINT_NOT_FOUND: 'not_found',
  REQUEST_LIMIT_EXCEEDED: 'rate_limited',
  INTERNAL_ERROR: 'internal',
  TEMPORARILY_UNAVAILABLE: 'store',
};

/** A refusal in MLflow's terms; `mlflowCode` and `mlflowStatus` are what the MLflow API answers. */
export class MlflowError extends LabError {
  constructor(
    readonly mlflowCode: MlflowErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(LAB_CODE[mlflowCode], message, options);
  }

  /** The HTTP status MLflow's server answers this code with. */
  get mlflowStatus(): number {
    return MLFLOW_ERROR_STATUS[this.mlflowCode];
  }
}

/** Bad input, MLflow's INVALID_PARAMETER_VALUE (400). */
export const invalidParameter = (message: string): MlflowError =>
  new MlflowError('INVALID_PARAMETER_VALUE', message);
