/** The queue's vocabulary: what goes in (EnqueueRun), what a worker gets (ClaimedRun), how a run ends. */
import type { RunOperation, RunSpec } from '@nflab/contracts';

/** A run to put in the queue. */
export interface EnqueueRun {
  readonly spec: RunSpec;
  /** SHA-256 of the spec's canonical JSON (the planner's `fingerprint`); unique within a sweep. */
  readonly fingerprint: string;
  /** Higher runs first. @default 0 */
  readonly priority?: number;
  /** Attempts before a failure is final. @default 1 */
  readonly maxAttempts?: number;
  /** Base retry delay; attempt n waits retryDelaySeconds * 2^(n-1). @default 0 */
  readonly retryDelaySeconds?: number;
  /** The run a model operation starts from. */
  readonly parentRunId?: string;
  /** @default { kind: 'train' } */
  readonly operation?: RunOperation;
}

/** A run a worker took from the queue; it owns the run until it finishes, requeues or loses it. */
export interface ClaimedRun {
  readonly id: string;
  readonly spec: RunSpec;
  readonly fingerprint: string;
  readonly operation: RunOperation;
  /** 1-based: the attempt this claim started. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly sweepId: string | null;
  readonly parentRunId: string | null;
  /** W3C traceparent of the span that queued the run; null when tracing was off. */
  readonly traceParent: string | null;
  readonly workerId: string;
  /** When this attempt started (database clock). */
  readonly startTime: Date;
}

/** How an attempt ended, as its worker reports it. */
export type RunOutcome =
  | { readonly status: 'finished' }
  | { readonly status: 'failed'; readonly error: { readonly message: string; readonly stack: string } }
  | { readonly status: 'cancelled'; readonly reason: string };

/**
 * What a heartbeat learned: the worker still owns the run, a user asked to cancel it, or the run
 * is no longer this worker's (reaped as lost, cancelled, or taken by another worker).
 */
export type HeartbeatState = 'owned' | 'cancel-requested' | 'lost';

/** Options of RunQueue. */
export interface QueueOptions {
  /**
   * Names this worker in the run row's worker_id. Unique among live queues: a new queue with the id
   * of a dead one takes back the runs that one left running. @default `${hostname}:${pid}:${random}`
   */
  readonly workerId?: string;
  /** A running run whose heartbeat is older than this is lost. @default 25_000 (a dead worker is marked within 30 s) */
  readonly staleAfterMs?: number;
}

/** A sweep's state, from the counts its trigger keeps. */
export interface SweepProgress {
  readonly sweepId: string;
  readonly status: 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';
  /** Runs the plan produced when the sweep was created (null when it was not recorded). */
  readonly plannedRuns: number | null;
  readonly queued: number;
  readonly running: number;
  readonly finished: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Runs the sweep holds. */
  readonly total: number;
  /** Runs that ended (finished, failed or cancelled). */
  readonly done: number;
  readonly startTime: Date | null;
  readonly endTime: Date | null;
}
