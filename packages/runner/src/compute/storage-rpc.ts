/**
 * A StudyStorage used in one thread and served from another. The compute thread runs the search;
 * the main thread owns the database connection (PGlite cannot be shared between threads), so every
 * storage call is a request answered by the real storage there (the engine's WorkerChannel carries
 * it, and a failure comes back as its own error class). All StudyStorage methods are async already,
 * so the proxy changes no semantics — only where the call executes.
 */
import type { StudyStorage } from '@nflab/tune';

/** The storage methods, in the interface's order. */
export const STUDY_STORAGE_METHODS = [
  'createStudy',
  'getStudy',
  'createTrial',
  'popWaitingTrial',
  'setTrialParams',
  'reportIntermediate',
  'setTrialUserAttr',
  'setTrialSystemAttr',
  'claim',
  'finishTrial',
  'heartbeat',
  'getTrial',
  'listTrials',
] as const satisfies readonly (keyof StudyStorage)[];

/** One of {@link STUDY_STORAGE_METHODS}. */
export type StorageMethod = (typeof STUDY_STORAGE_METHODS)[number];

/** A call from the using thread. */
export interface StorageCall {
  readonly type: 'storage-call';
  readonly method: StorageMethod;
  readonly args: readonly unknown[];
}

/** A StudyStorage whose every call is sent with `request` and answered by the serving thread. */
export const createStorageProxy = (request: (call: StorageCall) => Promise<unknown>): StudyStorage =>
  Object.fromEntries(
    STUDY_STORAGE_METHODS.map((method) => [
      method,
      (...args: unknown[]): Promise<unknown> => request({ type: 'storage-call', method, args }),
    ]),
  ) as unknown as StudyStorage;

/** Executes one proxied call on the real storage; rejects with the storage's error. */
export const serveStorageCall = async (storage: StudyStorage, call: StorageCall): Promise<unknown> => {
  if (!STUDY_STORAGE_METHODS.includes(call.method)) {
    throw new Error(`unknown storage method ${String(call.method)}`);
  }
  const method = storage[call.method] as (...args: unknown[]) => Promise<unknown>;
  return method.apply(storage, [...call.args]);
};
