/**
 * Working the queue from a command: a worker loop in this process (N runs at once, each on its own
 * compute thread), a live progress line, and Ctrl+C handled the way long jobs should be — the first
 * lets running runs finish, the second stops them and puts them back in the queue. Ended runs
 * with a W&B or MLflow sink are exported from here too when this process has WANDB_API_KEY or
 * MLFLOW_TRACKING_URI: on a timer while the loop works, and once more before the command returns,
 * so a short `nflab run` reaches its trackers.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@nflab/contracts';
import type { ExportOutcome } from '@nflab/runner';
import type { Db } from '@nflab/store';
import type { CommandContext } from './context.js';

/** The runner pulls in the engine (TensorFlow.js); commands load it only when they work runs. */
export const loadRunner = () => import('@nflab/runner');

/** Options of {@link workQueue}. */
export interface WorkOptions {
  /** Runs at once in this process. */
  readonly parallel: number;
  /** Only this sweep's runs. */
  readonly sweepId?: string;
  /** Stop when nothing is queued or running (of the sweep). */
  readonly exitWhenIdle: boolean;
}

/** Parses `--parallel`. */
export const parseParallel = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`--parallel must be an integer ≥ 1, got ${value}`);
  return n;
};

const seconds = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** Works the queue until idle (or stopped); resolves with the attempts executed here. */
export const workQueue = async (ctx: CommandContext, db: Db, options: WorkOptions): Promise<number> => {
  const runner = await loadRunner();
  const queue = new runner.RunQueue(db);
  const graceful = new AbortController();
  const hard = new AbortController();
  const onSignal = (): void => {
    if (!graceful.signal.aborted) {
      ctx.out.info('stopping: running runs finish first (Ctrl+C again to stop them now and requeue them)');
      graceful.abort();
    } else hard.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = process.stderr.isTTY === true && !ctx.out.json;
  const started = Date.now();
  const drawProgress = async (): Promise<void> => {
    if (options.sweepId === undefined) return;
    const p = await queue.sweepProgress(options.sweepId);
    const done = p.finished + p.failed + p.cancelled;
    const eta =
      done > 0 && p.total > done ? ` ETA ${seconds(((Date.now() - started) / done) * (p.total - done))}` : '';
    const line = `sweep ${options.sweepId.slice(0, 8)}: ${done}/${p.total} done (${p.finished} finished, ${p.running} running, ${p.failed} failed, ${p.cancelled} cancelled)${eta}`;
    if (tty) process.stderr.write(`\r${line}\u001b[K`);
    else ctx.out.info(line);
  };
  const timer = tty ? setInterval(() => void drawProgress().catch(() => undefined), 1000) : undefined;
  const clearLine = (): void => {
    if (tty) process.stderr.write('\r\u001b[K');
  };
  const reportExport = (outcome: ExportOutcome): void => {
    clearLine();
    const run = outcome.export.run_id.slice(0, 8);
    if (outcome.ok) ctx.out.info(`run ${run} exported to ${outcome.export.sink}: ${outcome.externalUrl}`);
    else
      ctx.out.info(
        `run ${run} not exported to ${outcome.export.sink} (${outcome.error}); ${
          outcome.retryInSeconds === null ? 'given up' : `retrying in ${outcome.retryInSeconds} s`
        }`,
      );
  };
  // With an OTLP endpoint set, runs worked here are traced as the server traces its own: each
  // continues the trace that queued it (an API request, say), into its compute thread.
  const tracing = runner.tracingEnabled() ? await (await import('@nflab/server')).startTracing() : undefined;
  const artifactRoot = join(ctx.home, 'artifacts');
  const exporter = new runner.RunExporter({ db, artifactRoot, onOutcome: reportExport });
  exporter.start();
  const execute = runner.createRunExecutor({
    db,
    artifactsRoot: artifactRoot,
    cpusPerRun: Math.max(1, Math.floor(availableParallelism() / options.parallel)),
    ...(tracing === undefined ? {} : { threadTracing: tracing.threadTracing }),
  });
  try {
    const { executed } = await runner.runWorkerLoop({
      queue,
      execute,
      concurrency: options.parallel,
      ...(options.sweepId !== undefined ? { sweepId: options.sweepId } : {}),
      exitWhenIdle: options.exitWhenIdle,
      signal: graceful.signal,
      abortRunning: hard.signal,
      onEvent: (event) => {
        clearLine();
        if (event.type === 'claimed') {
          const { spec } = event.run;
          ctx.out.info(
            `run ${event.run.id.slice(0, 8)} started: ${event.run.operation.kind} ${spec.model} ${spec.loto} [${spec.unique_ids.join(',')}] h=${spec.h}`,
          );
        } else if (event.type === 'done') ctx.out.info(`run ${event.runId.slice(0, 8)} ${event.status}`);
        else if (event.type === 'reaped')
          ctx.out.info(`worker lost: ${event.runIds.join(', ')} marked failed or requeued`);
        else if (event.type === 'db-error')
          ctx.out.info(`database unreachable (${event.error.message}); retrying in ${event.retryInMs} ms`);
        if (event.type === 'done' && !tty) void drawProgress().catch(() => undefined);
      },
    });
    await exporter.close();
    // A full batch means more are due: the last pass sends what the loop's runs left behind.
    for (;;) {
      const outcomes = await runner.exportDueRuns({ db, artifactRoot });
      outcomes.forEach(reportExport);
      if (outcomes.length < runner.EXPORT_BATCH) break;
    }
    return executed;
  } finally {
    await exporter.close();
    await execute.close();
    await tracing?.flush();
    if (timer) clearInterval(timer);
    clearLine();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
