/**
 * Runs the server starts itself. On the embedded database the server is the only process that can
 * open it, so it must execute the queue too; on a PostgreSQL server it is one worker among any
 * number of `nflab worker` processes. Shutdown is graceful: no new claims, running runs get a grace
 * period to finish, then they are stopped and put back in the queue for the next start.
 */
import { availableParallelism } from 'node:os';
import {
  createRunExecutor,
  RunQueue,
  runWorkerLoop,
  type PrometheusSink,
  type ThreadTracing,
  type WorkerEvent,
} from '@nflab/runner';
import type { Db } from '@nflab/store';

/** The server's worker loop. */
export interface ServerWorkers {
  /** Runs executed at once. */
  readonly concurrency: number;
  /** Stops claiming; waits up to `graceMs` for running runs, then requeues the rest. */
  readonly stop: (graceMs: number) => Promise<void>;
}

/** Starts `concurrency` worker slots over the lab database. */
export const startServerWorkers = (
  db: Db,
  options: {
    readonly concurrency: number;
    readonly artifactRoot: string;
    readonly onEvent?: (event: WorkerEvent) => void;
    readonly onError: (error: unknown) => void;
    /** The `prometheus` tracking sink over the `/metrics` registry, where its runs show while they execute. */
    readonly prometheus?: PrometheusSink;
    /** How a traced run's compute thread records spans (see the tracing module). */
    readonly threadTracing?: ThreadTracing;
  },
): ServerWorkers => {
  const graceful = new AbortController();
  const hard = new AbortController();
  const execute = createRunExecutor({
    db,
    artifactsRoot: options.artifactRoot,
    cpusPerRun: Math.max(1, Math.floor(availableParallelism() / options.concurrency)),
    ...(options.prometheus ? { prometheus: options.prometheus } : {}),
    ...(options.threadTracing ? { threadTracing: options.threadTracing } : {}),
  });
  const loop = runWorkerLoop({
    queue: new RunQueue(db),
    execute,
    concurrency: options.concurrency,
    signal: graceful.signal,
    abortRunning: hard.signal,
    // buildServer runs one reaper for the whole server, worker slots or not.
    reapLost: false,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  })
    .catch(options.onError)
    .finally(() => execute.close());
  return {
    concurrency: options.concurrency,
    stop: async (graceMs) => {
      graceful.abort();
      const timer = setTimeout(() => hard.abort(), graceMs);
      try {
        await loop;
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
