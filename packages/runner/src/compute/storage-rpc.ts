/**
 * A StudyStorage used in one thread and served from another. The compute thread runs the search;
 * the main thread owns the database connection (PGlite cannot be shared between threads), so every
 * storage call is a message answered by the real storage there. All StudyStorage methods are
 * async already, so the proxy changes no semantics — only where the call executes.
 */
import type { StudyStorage } from '@nflab/tune';
import { reviveError, serializeError, type SerializedError } from '@nflab/engine';

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
  readonly id: number;
  readonly method: StorageMethod;
  readonly args: readonly unknown[];
}

/** The answer from the serving thread. */
export type StorageReply =
  | { readonly type: 'storage-reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly type: 'storage-reply';
      readonly id: number;
      readonly ok: false;
      readonly error: SerializedError;
    };

/** The proxy and the function the using thread calls with every reply it receives. */
export interface StorageProxy {
  readonly storage: StudyStorage;
  readonly onReply: (reply: StorageReply) => void;
  /** Rejects every call still waiting (the serving side is gone). */
  readonly failPending: (error: Error) => void;
}

/** A StudyStorage whose calls are posted with `post` and settled by `onReply`. */
export const createStorageProxy = (post: (call: StorageCall) => void): StorageProxy => {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const call =
    (method: StorageMethod) =>
    (...args: unknown[]): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        post({ type: 'storage-call', id, method, args });
      });
  const storage = Object.fromEntries(
    STUDY_STORAGE_METHODS.map((method) => [method, call(method)]),
  ) as unknown as StudyStorage;
  return {
    storage,
    onReply: (reply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(reviveError(reply.error));
    },
    failPending: (error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    },
  };
};

/** Executes one proxied call on the real storage and builds its reply (never rejects). */
export const serveStorageCall = async (storage: StudyStorage, call: StorageCall): Promise<StorageReply> => {
  if (!STUDY_STORAGE_METHODS.includes(call.method)) {
    return {
      type: 'storage-reply',
      id: call.id,
      ok: false,
      error: serializeError(new Error(`unknown storage method ${String(call.method)}`)),
    };
  }
  try {
    const method = storage[call.method] as (...args: unknown[]) => Promise<unknown>;
    const value = await method.apply(storage, [...call.args]);
    return { type: 'storage-reply', id: call.id, ok: true, value };
  } catch (error) {
    return { type: 'storage-reply', id: call.id, ok: false, error: serializeError(error) };
  }
};
