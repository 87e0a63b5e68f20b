/** Every error code the lab reports; the server maps each to one HTTP status. */
export const ERROR_CODES = {
  config: 400,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  cross_origin: 403,
  rate_limited: 429,
  unavailable: 503,
  training: 422,
  store: 500,
  internal: 500,
} as const satisfies Record<string, number>;

/** A machine-readable error code; persisted and sent over the API as this string. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every error the lab raises on purpose; anything else is a bug. */
export class LabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

/** Bad user input: a spec, a flag, a file. The message names the field, the value and what is allowed. */
export class ConfigError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** A named thing (table, run, model) does not exist. */
export class NotFoundError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('not_found', message, options);
  }
}

/** The request clashes with the current state (already running, already exists). */
export class ConflictError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('conflict', message, options);
  }
}

/** Training could not go on: non-finite loss, divergence. */
export class TrainingError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('training', message, options);
  }
}

/** A database operation failed; `cause` holds the driver error and `query` the SQL that failed. */
export class StoreError extends LabError {
  constructor(
    message: string,
    readonly query?: string,
    options?: { cause?: unknown },
  ) {
    super('store', message, options);
  }
}

/**
 * A service the request needs is missing or busy (the PDF renderer's Chromium); the message says
 * which and what to do, and `retryAfterSeconds` is set when trying again later may succeed.
 */
export class UnavailableError extends LabError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super('unavailable', message, options);
  }
}

/** True for errors the lab raised on purpose (as opposed to bugs). */
export const isLabError = (error: unknown): error is LabError => error instanceof LabError;
