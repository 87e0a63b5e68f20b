/**
 * Executes one claimed run from start to record: resource monitor on, data loaded and
 * fingerprinted, the compute step on its own thread (every loss and trial written as it happens),
 * then metrics against naive baselines — and all results, the final status included, committed in
 * one transaction. A failure is recorded as failed with its stack and the logs so far; a cancelled
 * run as cancelled; a run this worker lost (reaped as dead) is left to whoever owns it now.
 */
import { rm } from 'node:fs/promises';
import { context } from '@opentelemetry/api';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Db, Queryable } from '@nflab/store';
import {
  createPgStudyStorage,
  recordEnsembleWeights,
  recordModelInterpretation,
  recordRunData,
  recordRunDataVersion,
  recordRunResults,
  recordRunTracking,
} from '@nflab/store';
import { describeRuntime } from '@nflab/engine';
import {
  collectSystemInfo,
  insertResourceSamples,
  startResourceMonitor,
  type ResourceSample,
  type ResourceSummary,
  type SystemInfo,
} from '../monitor/index.js';
import type { ClaimedRun, RunOutcome } from '../queue/index.js';
import { retryOnConnectionLoss, type ExecuteRun } from '../worker/index.js';
import {
  computeRun,
  createComputePool,
  evaluateRows,
  operationOf,
  type ComputeJob,
  type ComputeResult,
  type RunData,
  type RunMetrics,
  type StepEvent,
} from '../compute/index.js';
import { dataVersionOf } from './data-version.js';
import { loadEnsembleMembers } from './ensemble-members.js';
import { loadRunData } from './load-run-data.js';
import { loadParentModel } from './parent-model.js';
import { insertArtifacts, insertCvResults, insertImportance, insertPredictions } from './records.js';
import { createStepWriter } from './step-writer.js';
import { createPrometheusSink, type PrometheusSink } from '../tracking/prometheus-sink.js';
import { traceIdOf, traceparentOf } from '../tracing/run-trace.js';
import type { ThreadTracing } from '../tracing/thread-tracing.js';
import { traceTrials } from '../tracing/trial-spans.js';

/** Options of {@link createRunExecutor}. */
export interface RunExecutorOptions {
  readonly db: Db;
  /** Saved models go to `<artifactsRoot>/<run id>/model`. */
  readonly artifactsRoot: string;
  /** Resource sampling interval. @default 1000 */
  readonly monitorIntervalMs?: number;
  /** Trials at once in a run whose spec sets no `cpus`. @default all cores */
  readonly cpusPerRun?: number;
  /** Compute on a thread of its own (false: in this thread, for tests and profiling). @default true */
  readonly computeThread?: boolean;
  /** Route matmuls to OpenBLAS where it loads. @default true unless NFLAB_NATIVE_BLAS=0 */
  readonly nativeMatmul?: boolean;
  /**
   * How a traced run's compute thread records spans (see ComputeJob.trace), given by a process
   * that traces; without it a traced run's thread records no spans.
   */
  readonly threadTracing?: ThreadTracing;
  /** Every log line of every run, as it is written. */
  readonly onLog?: (runId: string, line: string) => void;
  /** Every training loss, as it arrives. */
  readonly onStep?: (runId: string, event: StepEvent) => void;
  /**
   * The `prometheus` tracking sink of runs that list it: the lab server passes one over its
   * `/metrics` registry. @default a sink of the executor's own (pushes to $NFLAB_PUSHGATEWAY_URL)
   */
  readonly prometheus?: PrometheusSink;
}

let systemInfo: Promise<SystemInfo> | undefined;

/** Writes resource samples in small batches while the run goes on. */
const sampleSink = (db: Queryable, runId: string) => {
  let pending: ResourceSample[] = [];
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) chain = chain.then(() => insertResourceSamples(db, runId, batch));
    return chain;
  };
  return {
    add: (sample: ResourceSample): Promise<void> => {
      pending.push(sample);
      return pending.length >= 5 ? flush() : Promise.resolve();
    },
    flush,
  };
};

/** The run's `metrics` JSON from its compute result. */
const metricsOf = (run: ClaimedRun, data: RunData, result: ComputeResult): RunMetrics => {
  const test = evaluateRows(result.test, result.modelColumn, data, { h: run.spec.h });
  const cv = evaluateRows(result.cv, result.modelColumn, data, { h: run.spec.h, folds: true });
  return {
    metric: run.spec.metric,
    valid_loss: result.validLoss,
    ...(test ? { test } : {}),
    ...(cv ? { cv } : {}),
    ...(result.importance ? { importance: result.importance.summary } : {}),
    ...(result.ensemble ? { ensemble: result.ensemble } : {}),
  };
};

/** What the run's operation starts from besides the table's rows: a parent's model, or members' forecasts. */
const loadSources = async (
  db: Queryable,
  run: ClaimedRun,
): Promise<Pick<ComputeJob, 'parent' | 'members'>> => {
  const { source } = operationOf(run.operation.kind);
  if (source === 'parent') return { parent: await loadParentModel(db, requireParent(run)) };
  if (source === 'members' && run.operation.kind === 'ensemble')
    return { members: await loadEnsembleMembers(db, run.operation.members) };
  return {};
};

/** A worker loop's execute function, plus `close` for the compute threads it keeps between runs. */
export type RunExecutor = ExecuteRun & { readonly close: () => Promise<void> };

/** The function a worker loop calls for every run it claims; close it when the loop is done. */
export const createRunExecutor = (options: RunExecutorOptions): RunExecutor => {
  const { db } = options;
  const pool = createComputePool();
  const prometheus = options.prometheus ?? createPrometheusSink();
  const execute: ExecuteRun = async (run, { signal, queue }) => {
    const lines: string[] = [];
    const log = (message: string): void => {
      const line = `${new Date().toISOString()} ${message}`;
      lines.push(line);
      options.onLog?.(run.id, line);
    };
    const samples = sampleSink(db, run.id);
    const monitor = await startResourceMonitor({
      intervalMs: options.monitorIntervalMs ?? 1000,
      onSample: (sample) => samples.add(sample),
    });
    const tracked = prometheus.track(run.id, run.spec);
    const steps = createStepWriter(db, run.id, {
      onError: (error) => log(`step metrics write failed, retrying: ${(error as Error).message}`),
    });
    let summary: ResourceSummary | undefined;
    const stopTracking = async (): Promise<ResourceSummary> => {
      summary ??= await monitor.stop();
      await steps.close().catch((error: unknown) => log(`step metrics lost: ${(error as Error).message}`));
      await samples
        .flush()
        .catch((error: unknown) => log(`resource samples lost: ${(error as Error).message}`));
      return summary;
    };
    const finishWith = async (
      outcome: RunOutcome,
      write?: (tx: Queryable) => Promise<void>,
    ): Promise<void> => {
      const resourceSummary = await stopTracking();
      const pushed = await tracked?.end(outcome.status);
      if (pushed !== undefined) log(pushed);
      // Results are expensive to recompute: a database restarting now is waited for, not given up on.
      await retryOnConnectionLoss(
        () =>
          db.transaction(async (tx) => {
            if (!(await queue.finish(tx, run.id, outcome))) {
              log('the run is no longer this worker’s (reaped or cancelled); its results are dropped');
              return;
            }
            await write?.(tx);
            await recordRunTracking(tx, run.id, {
              resource_summary: resourceSummary,
              logs: lines.join('\n'),
            });
          }),
        {
          onError: (error, retryInMs) =>
            log(`database unreachable (${error.message}); retrying in ${retryInMs} ms`),
        },
      );
    };

    try {
      log(
        `attempt ${run.attempt}/${run.maxAttempts} on ${run.workerId}: ${run.operation.kind} ${run.spec.model}`,
      );
      // The run's logs name its trace (the run id is in the trace's spans).
      const traceId = traceIdOf(run.traceParent);
      if (traceId !== null) log(`trace ${traceId}`);
      // The active span is the worker loop's `run execute` when the run is traced.
      const traceParent = traceId === null ? null : traceparentOf();
      const sources = await loadSources(db, run);
      const data = await loadRunData(db, run.spec);
      log(
        `data: ${data.series.length} series, ${data.columns.unique_id.length} rows, fingerprint ${data.fingerprint.slice(0, 12)}`,
      );
      systemInfo ??= collectSystemInfo();
      await recordRunData(db, run.id, {
        data_fingerprint: data.fingerprint,
        system_info: await systemInfo,
      });
      await recordRunDataVersion(db, run.id, dataVersionOf(run.spec, data));
      // A retried attempt starts from a clean slate on disk too (its rows were cleared at claim).
      const runDir = path.join(options.artifactsRoot, run.id);
      await rm(runDir, { recursive: true, force: true });
      const job: ComputeJob = {
        runId: run.id,
        spec: run.spec,
        operation: run.operation,
        data,
        modelDir: path.join(runDir, 'model'),
        ...sources,
        cpus: run.spec.cpus ?? options.cpusPerRun ?? availableParallelism(),
        nativeMatmul: (options.nativeMatmul ?? true) && process.env.NFLAB_NATIVE_BLAS !== '0',
        studyName: `run-${run.id}`,
        ...(traceParent === null
          ? {}
          : { trace: { traceparent: traceParent, sdk: options.threadTracing?.module ?? null } }),
      };
      const pgStorage = createPgStudyStorage(db, { runId: run.id, workerId: run.workerId });
      const storage = traceParent === null ? pgStorage : traceTrials(pgStorage, context.active());
      const hooks = {
        storage: tracked?.run.observeTrials(storage) ?? storage,
        signal,
        onStep: (event: StepEvent) => {
          steps.add(event);
          tracked?.run.observeStep(event);
          options.onStep?.(run.id, event);
        },
        onLog: log,
        ...(options.threadTracing ? { onSpans: options.threadTracing.exportSpans } : {}),
      };
      const result =
        options.computeThread === false ? await computeRun(job, hooks) : await pool.compute(job, hooks);
      for (const note of result.notes) log(note);
      const metrics = metricsOf(run, data, result);
      log(`finished: validation loss ${result.validLoss ?? 'n/a'}`);
      await finishWith({ status: 'finished' }, async (tx) => {
        await recordRunResults(tx, run.id, {
          metrics,
          best_params: result.config,
          model_properties: result.modelProperties,
          engine_version: describeRuntime(result.runtime),
          system_info: {
            ...(await systemInfo),
            tfjs: { version: result.runtime.tfjsVersion, backend: result.runtime.backend },
            nativeMatmul: result.runtime.nativeMatmul,
          },
          search_space: result.searchSpace,
        });
        await insertPredictions(tx, run.id, 'forecast', result.forecasts, result.modelColumn);
        await insertCvResults(tx, run.id, [...result.test, ...result.cv], result.modelColumn);
        await insertArtifacts(tx, run.id, result.files);
        if (result.importance) await insertImportance(tx, run.id, result.importance);
        if (result.interpretation) {
          const { model, windows, ...weights } = result.interpretation;
          await recordModelInterpretation(tx, run.id, { model, windows, weights });
        }
        if (result.ensemble) {
          const weights = result.ensemble.members.map((m) => ({
            member_run_id: m.run_id,
            weight: m.weight,
            error: m.error,
          }));
          await recordEnsembleWeights(tx, run.id, weights);
        }
      });
    } catch (error) {
      if (signal.aborted) {
        const state = await queue.heartbeat(run.id).catch(() => 'lost' as const);
        if (state === 'cancel-requested') {
          log('cancelled by request');
          await finishWith({ status: 'cancelled', reason: 'cancelled by request' });
          return;
        }
        await stopTracking();
        tracked?.abandon();
        // Lost (another worker may own it now) or shutting down (the loop requeues it): write nothing.
        throw error;
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      log(`failed: ${failure.message}`);
      await finishWith({
        status: 'failed',
        error: { message: failure.message, stack: failure.stack ?? failure.message },
      });
    }
  };
  return Object.assign(execute, { close: pool.close });
};

const requireParent = (run: ClaimedRun): string => {
  if (run.parentRunId === null)
    throw new Error(`run ${run.id} is a ${run.operation.kind} without a parent run`);
  return run.parentRunId;
};
