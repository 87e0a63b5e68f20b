/**
 * Errors crossing a thread boundary. Structured clone keeps only message and stack of an Error,
 * so the lab's error classes (whose code the run record and the HTTP status depend on) are sent
 * as plain data and rebuilt on the other side with the original stack.
 */
import {
  ConfigError,
  ConflictError,
  LabError,
  NotFoundError,
  StoreError,
  TrainingError,
} from '@nflab/contracts';

/** An error as plain, cloneable data. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  /** The LabError code, when it was one. */
  readonly code?: string;
  /** True when the error is the abort reason of a cancelled operation. */
  readonly aborted?: boolean;
}

const LAB_ERRORS: Readonly<Record<string, new (message: string) => LabError>> = {
  config: ConfigError,
  not_found: NotFoundError,
  conflict: ConflictError,
  training: TrainingError,
  store: StoreError,
};

/** Any thrown value as cloneable data. */
export const serializeError = (error: unknown, aborted = false): SerializedError => {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    name: e.name,
    message: e.message,
    stack: e.stack ?? `${e.name}: ${e.message}`,
    ...(e instanceof LabError ? { code: e.code } : {}),
    ...(aborted ? { aborted } : {}),
  };
};

/** Rebuilds an error: a LabError of the same class when it was one, else an Error with the same name. */
export const reviveError = (data: SerializedError): Error => {
  const LabClass = data.code === undefined ? undefined : LAB_ERRORS[data.code];
  const error = LabClass ? new LabClass(data.message) : new Error(data.message);
  if (!LabClass) error.name = data.name;
  error.stack = data.stack;
  return error;
};
