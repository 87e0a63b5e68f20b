/**
 * One message channel between a thread and a worker it started, for every worker the lab keeps:
 * the runner's compute threads and the Auto model's trial workers. The parent runs jobs on the
 * worker (each with an id, so several may be in flight); the worker streams events back, may ask
 * the parent to answer requests (the compute thread's study storage lives with the database
 * connection), and ends each job with its result or its error — rebuilt as the original class on
 * the parent's side. Aborting a job's signal asks the worker to stop it; a worker that does not
 * answer within the grace period (when one is set) is terminated.
 */
import { parentPort, type Worker } from 'node:worker_threads';
import { reviveError, serializeError, type SerializedError } from './error-transport.js';

/** Parent → worker. */
export type ToWorker<Job> =
  | { readonly type: 'run'; readonly id: number; readonly job: Job }
  | { readonly type: 'stop'; readonly id: number; readonly reason: string }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: SerializedError };

/** Worker → parent. */
export type FromWorker<Result, Event, Request> =
  | { readonly type: 'event'; readonly id: number; readonly event: Event }
  | { readonly type: 'request'; readonly id: number; readonly requestId: number; readonly request: Request }
  | { readonly type: 'done'; readonly id: number; readonly result: Result }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

/** Hooks of one job run on a {@link WorkerChannel}. */
export interface ChannelRunHooks<Event, Request> {
  /** Aborting it stops the job; the job then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: Event) => void;
  /** Answers the worker's requests during this job; a rejection reaches the worker as its error class. */
  readonly onRequest?: (request: Request) => Promise<unknown>;
  /** Time a stopped worker gets to answer before it is terminated. @default no limit */
  readonly stopGraceMs?: number;
}

interface Pending<Result, Event, Request> {
  readonly hooks: ChannelRunHooks<Event, Request>;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/** The parent's side of a worker: runs jobs on it and settles each with the worker's answer. */
export class WorkerChannel<Job, Result, Event = never, Request = never> {
  private readonly pending = new Map<number, Pending<Result, Event, Request>>();
  private nextId = 0;
  private dead = false;

  /** `label` names the worker in errors ("compute thread exited with code 1 before answering"). */
  constructor(
    readonly worker: Worker,
    private readonly label = 'worker',
  ) {
    worker.on('message', (message: FromWorker<Result, Event, Request>) => this.onMessage(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) =>
      this.fail(new Error(`${this.label} exited with code ${code} before answering`)),
    );
  }

  /** False once the worker failed, exited or was terminated; its jobs are rejected then. */
  get alive(): boolean {
    return !this.dead;
  }

  /** Runs `job` on the worker; resolves with its result, rejects with its error (or the abort reason). */
  run(job: Job, hooks: ChannelRunHooks<Event, Request> = {}): Promise<Result> {
    const { signal } = hooks;
    if (this.dead) return Promise.reject(new Error(`${this.label} is not running`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      const reason = signal?.reason instanceof Error ? signal.reason.message : 'stopped';
      this.post({ type: 'stop', id, reason });
      if (hooks.stopGraceMs === undefined) return;
      killTimer = setTimeout(() => void this.terminate(signal?.reason), hooks.stopGraceMs);
      killTimer.unref();
    };
    return new Promise<Result>((resolve, reject) => {
      const settle =
        <T>(then: (value: T) => void) =>
        (value: T): void => {
          this.pending.delete(id);
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(killTimer);
          then(value);
        };
      this.pending.set(id, {
        hooks,
        resolve: settle(resolve),
        // Whatever the worker says after a stop, the caller asked for the stop and hears its reason.
        reject: settle((error: unknown) => reject(signal?.aborted ? signal.reason : error)),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.post({ type: 'run', id, job });
    });
  }

  /** Terminates the worker; jobs still running reject with `reason`. */
  async terminate(reason: unknown = new Error(`${this.label} terminated`)): Promise<void> {
    this.fail(reason);
    await this.worker.terminate();
  }

  private post(message: ToWorker<Job>): void {
    if (!this.dead) this.worker.postMessage(message);
  }

  private fail(error: unknown): void {
    this.dead = true;
    for (const pending of [...this.pending.values()]) pending.reject(error);
  }

  private onMessage(message: FromWorker<Result, Event, Request>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'event':
        pending.hooks.onEvent?.(message.event);
        break;
      case 'request':
        void this.answer(pending.hooks, message.requestId, message.request);
        break;
      case 'done':
        pending.resolve(message.result);
        break;
      case 'error':
        pending.reject(reviveError(message.error));
        break;
    }
  }

  private async answer(hooks: ChannelRunHooks<Event, Request>, id: number, request: Request): Promise<void> {
    try {
      if (!hooks.onRequest) throw new Error('this job takes no requests');
      const value = await hooks.onRequest(request);
      this.post({ type: 'reply', id, ok: true, value });
    } catch (error) {
      this.post({ type: 'reply', id, ok: false, error: serializeError(error) });
    }
  }
}

/** What a job's handler in the worker gets besides the job. */
export interface WorkerTask<Event, Request> {
  /** Aborted when the parent stops the job. */
  readonly signal: AbortSignal;
  readonly emit: (event: Event) => void;
  /** Asks the parent (its `onRequest`); rejects with the parent's error, as its class. */
  readonly request: (request: Request) => Promise<unknown>;
}

/**
 * The worker's side: runs every job the parent sends through `handle`, concurrently, and answers
 * each with its result or its error. Call once, at the top of the worker's entry module.
 */
export const serveWorkerChannel = <Job, Result, Event = never, Request = never>(
  handle: (job: Job, task: WorkerTask<Event, Request>) => Promise<Result>,
): void => {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerChannel must run in a worker thread');
  const post = (message: FromWorker<Result, Event, Request>): void => port.postMessage(message);
  const running = new Map<number, AbortController>();
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextRequestId = 0;

  const run = async (id: number, job: Job): Promise<void> => {
    const stop = new AbortController();
    running.set(id, stop);
    const task: WorkerTask<Event, Request> = {
      signal: stop.signal,
      emit: (event) => post({ type: 'event', id, event }),
      request: (request) =>
        new Promise((resolve, reject) => {
          const requestId = nextRequestId++;
          waiting.set(requestId, { resolve, reject });
          post({ type: 'request', id, requestId, request });
        }),
    };
    try {
      post({ type: 'done', id, result: await handle(job, task) });
    } catch (error) {
      post({ type: 'error', id, error: serializeError(error) });
    } finally {
      running.delete(id);
    }
  };

  port.on('message', (message: ToWorker<Job>) => {
    if (message.type === 'run') void run(message.id, message.job);
    else if (message.type === 'stop') running.get(message.id)?.abort(new Error(message.reason));
    else {
      const request = waiting.get(message.id);
      if (!request) return;
      waiting.delete(message.id);
      if (message.ok) request.resolve(message.value);
      else request.reject(reviveError(message.error));
    }
  });
};
