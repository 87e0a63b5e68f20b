/**
 * Errors crossing a thread boundary. Structured clone keeps only the message and stack of most
 * errors, so an error is sent as plain data — its class, message, stack, own fields (a LabError's
 * `code`, a StoreError's `query` …) and cause — and rebuilt on the other side as an instance of the
 * same class when that class is known there (the lab's LabError classes and JavaScript's built-in
 * errors), so `instanceof`, the run record's error code and the HTTP status survive the trip.
 */
import {
  CombinationLimitError,
  ConfigError,
  ConflictError,
  InputError,
  LabError,
  NotFoundError,
  StoreError,
  TrainingError,
  UnavailableError,
} from '@nflab/contracts';

/** An error class that can be rebuilt; its constructor is never called (fields are restored as they were). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Every LabError class contracts exports, by its name (a test ties this list to contracts' exports,
 * so a new class there fails the test until it is listed here).
 */
export const LAB_ERROR_CLASSES = {
  LabError,
  ConfigError,
  InputError,
  CombinationLimitError,
  NotFoundError,
  ConflictError,
  TrainingError,
  StoreError,
  UnavailableError,
} as const satisfies Readonly<Record<string, ErrorClass>>;

/** The classes {@link reviveError} rebuilds by default, by name. */
export const ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  ...LAB_ERROR_CLASSES,
};

/** An error as plain, cloneable data. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  /** Key in the class registry of the nearest known class of the error; absent when none is known. */
  readonly className?: string;
  /** The error's own enumerable fields that survive structured clone (a LabError's `code` …). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The error's `cause`: serialized when it is an Error, as it was when cloneable, else absent. */
  readonly cause?: { readonly error: SerializedError } | { readonly value: unknown };
}

/** Causes nest; a loop (an error that is its own cause) stops here. */
const MAX_CAUSE_DEPTH = 8;

const cloneable = (value: unknown): boolean => {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
};

/** The registry key of the nearest class in `error`'s prototype chain that `classes` holds. */
const classNameOf = (error: Error, classes: Readonly<Record<string, ErrorClass>>): string | undefined => {
  const names = new Map<unknown, string>(Object.entries(classes).map(([name, cls]) => [cls.prototype, name]));
  for (let proto: unknown = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const name = names.get(proto);
    if (name !== undefined) return name;
  }
  return undefined;
};

const serialize = (
  error: unknown,
  classes: Readonly<Record<string, ErrorClass>>,
  depth: number,
): SerializedError => {
  const e = error instanceof Error ? error : new Error(String(error));
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) {
    if (key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause' && cloneable(value))
      fields[key] = value;
  }
  const className = classNameOf(e, classes);
  let cause: SerializedError['cause'];
  if ('cause' in e && depth < MAX_CAUSE_DEPTH) {
    if (e.cause instanceof Error) cause = { error: serialize(e.cause, classes, depth + 1) };
    else if (cloneable(e.cause)) cause = { value: e.cause };
  }
  return {
    name: e.name,
    message: e.message,
    stack: e.stack ?? `${e.name}: ${e.message}`,
    ...(className !== undefined ? { className } : {}),
    fields,
    ...(cause !== undefined ? { cause } : {}),
  };
};

/** Any thrown value as cloneable data (a non-Error becomes an Error with its text). */
export const serializeError = (
  error: unknown,
  classes: Readonly<Record<string, ErrorClass>> = ERROR_CLASSES,
): SerializedError => serialize(error, classes, 0);

const hidden = (target: object, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
};

/**
 * Rebuilds a serialized error: an instance of its class when `classes` knows it (fields, name,
 * message, stack and cause as they were), else an Error carrying the original name, message and stack.
 */
export const reviveError = (
  data: SerializedError,
  classes: Readonly<Record<string, ErrorClass>> = ERROR_CLASSES,
): Error => {
  const cls = data.className === undefined ? undefined : classes[data.className];
  // Constructors differ in their parameters (StoreError takes the query second); the fields are
  // restored as they were instead, so no constructor runs.
  const error = (cls ? Object.create(cls.prototype as object) : new Error(data.message)) as Error;
  Object.assign(error, data.fields);
  hidden(error, 'message', data.message);
  if (error.name !== data.name) error.name = data.name;
  hidden(error, 'stack', data.stack);
  if (data.cause !== undefined) {
    hidden(error, 'cause', 'error' in data.cause ? reviveError(data.cause.error, classes) : data.cause.value);
  }
  return error;
};
