/**
 * A pool of `worker_threads`, each its own TensorFlow.js instance, running trial fits in
 * parallel. The main thread keeps the Study (ask/tell/prune); workers only fit and stream losses.
 * A trial's error arrives as the class it was thrown as (a ConfigError stays a ConfigError).
 */
import { spawnEngineWorker, workerEntryUrl } from '../backend/spawn-worker.js';
import { WorkerChannel } from '../threads/worker-channel.js';
import type { TrainingEvent } from '../training/train.js';
import type { TrialJob } from './worker-protocol.js';

type TrialChannel = WorkerChannel<TrialJob, void, TrainingEvent>;

/** Fixed-size pool; `run` waits for a free worker. */
export class TrialWorkerPool {
  private readonly idle: TrialChannel[] = [];
  private readonly all = new Set<TrialChannel>();
  private readonly waiting: ((channel: TrialChannel) => void)[] = [];
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i += 1) this.release(this.spawn());
  }

  /** Fits one trial on a free worker; rejects with the worker's error, or the abort reason. */
  async run(
    job: TrialJob,
    options: { onProgress: (e: TrainingEvent) => void; signal: AbortSignal },
  ): Promise<void> {
    options.signal.throwIfAborted();
    const channel = await this.acquire();
    try {
      await channel.run(job, { signal: options.signal, onEvent: options.onProgress });
    } finally {
      this.release(channel);
    }
  }

  /** Stops every worker; running fits reject. */
  async terminate(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((channel) => channel.terminate(new Error('worker pool terminated'))));
  }

  private spawn(): TrialChannel {
    const worker = spawnEngineWorker(workerEntryUrl('trial-worker', import.meta.url));
    const channel: TrialChannel = new WorkerChannel(worker, 'trial worker');
    worker.on('exit', () => {
      if (this.closed) return;
      // A crashed worker fails its trial only (the channel rejects it); a fresh one takes its place.
      this.all.delete(channel);
      const idleAt = this.idle.indexOf(channel);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      this.release(this.spawn());
    });
    this.all.add(channel);
    return channel;
  }

  private acquire(): Promise<TrialChannel> {
    const channel = this.idle.pop();
    if (channel) return Promise.resolve(channel);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(channel: TrialChannel): void {
    if (!channel.alive || this.closed) return;
    const next = this.waiting.shift();
    if (next) next(channel);
    else this.idle.push(channel);
  }
}
