/** The reason an attempt's AbortSignal carries, so execute can tell a cancel from a shutdown. */

/** Why the worker loop aborted an attempt. */
export type AbortCause = 'cancel-requested' | 'lost' | 'shutdown';

const EXPLANATIONS: Record<AbortCause, string> = {
  'cancel-requested': 'a user cancelled it',
  lost: 'this worker no longer owns it (it was reaped as lost or taken by another worker)',
  shutdown: 'the worker is shutting down; the run goes back to the queue',
};

/** The `signal.reason` of an aborted attempt. */
export class RunAbortedError extends Error {
  constructor(
    readonly runId: string,
    readonly abortCause: AbortCause,
  ) {
    super(`run ${runId} was stopped: ${EXPLANATIONS[abortCause]}`);
    this.name = 'RunAbortedError';
  }
}
