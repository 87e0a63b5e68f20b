/**
 * A pool of `worker_threads`, each its own TensorFlow.js instance, running trial fits in
 * parallel. The main thread keeps the Study (ask/tell/prune); workers only fit and stream losses.
 */
import type { Worker } from 'node:worker_threads';
import { spawnEngineWorker, workerEntryUrl } from '../backend/spawn-worker.js';
import type { TrainingEvent } from '../training/train.js';
import type { FromWorker, ToWorker, TrialJob } from './worker-protocol.js';

/** An error thrown inside a worker, rebuilt with the worker's name, message and stack. */
export class WorkerTrialError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

interface Pending {
  readonly worker: Worker;
  readonly onProgress: (event: TrainingEvent) => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const spawnWorker = (): Worker => spawnEngineWorker(workerEntryUrl('trial-worker', import.meta.url));

/** Fixed-size pool; `run` waits for a free worker. */
export class TrialWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  private readonly dead = new Set<Worker>();

  constructor(size: number) {
    for (let i = 0; i < size; i += 1) this.release(this.spawn());
  }

  /** Fits one trial on a free worker; rejects with the worker's error, or the abort reason. */
  async run(
    job: TrialJob,
    options: { onProgress: (e: TrainingEvent) => void; signal: AbortSignal },
  ): Promise<void> {
    options.signal.throwIfAborted();
    const worker = await this.acquire();
    const id = this.nextId++;
    const stop = (): void => worker.postMessage({ type: 'stop', id } satisfies ToWorker);
    try {
      await new Promise<void>((resolve, reject) => {
        this.pending.set(id, { worker, onProgress: options.onProgress, resolve, reject });
        worker.postMessage({ type: 'run', id, job } satisfies ToWorker);
        if (options.signal.aborted) stop();
        else options.signal.addEventListener('abort', stop, { once: true });
      });
    } catch (error) {
      throw options.signal.aborted ? options.signal.reason : error;
    } finally {
      options.signal.removeEventListener('abort', stop);
      this.pending.delete(id);
      this.release(worker);
    }
  }

  /** Stops every worker; running fits reject. */
  async terminate(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('worker pool terminated'));
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = spawnWorker();
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.failWorker(worker, error));
    worker.on('exit', (code) => {
      if (this.closed) return;
      // A crashed worker fails its trial only; a fresh one takes its place so the study goes on.
      this.failWorker(worker, new Error(`trial worker exited with code ${code}`));
      this.dead.add(worker);
      this.all.splice(this.all.indexOf(worker), 1);
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      this.release(this.spawn());
    });
    this.all.push(worker);
    return worker;
  }

  private onMessage(message: FromWorker): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    if (message.type === 'progress') p.onProgress(message.event);
    else if (message.type === 'done') p.resolve();
    else p.reject(new WorkerTrialError(message.name, message.message, message.stack));
  }

  private failWorker(worker: Worker, error: Error): void {
    for (const p of this.pending.values()) if (p.worker === worker) p.reject(error);
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    if (this.dead.has(worker) || this.closed) return;
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }
}
