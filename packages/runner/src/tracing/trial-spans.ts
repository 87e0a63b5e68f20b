/**
 * Trial spans: a study storage whose calls run in a run's trace. A trial is a span from its
 * creation to its outcome (state and number as attributes), and every storage call about a trial
 * runs inside that trial's span, so its database writes nest under it.
 */
import { context, trace, type Context, type Span } from '@opentelemetry/api';
import type { StudyStorage } from '@nflab/tune';
import { RUNNER_TRACER } from './run-trace.js';

/** Methods whose first argument is a trial id. */
const TRIAL_METHODS: ReadonlySet<PropertyKey> = new Set([
  'setTrialParams',
  'reportIntermediate',
  'setTrialUserAttr',
  'setTrialSystemAttr',
  'heartbeat',
  'getTrial',
]);

/** `storage` with its calls traced under `parent` (the run's span). */
export const traceTrials = (storage: StudyStorage, parent: Context): StudyStorage => {
  const tracer = trace.getTracer(RUNNER_TRACER);
  const spans = new Map<number, Span>();
  const trialContext = (trialId: unknown): Context => {
    const span = typeof trialId === 'number' ? spans.get(trialId) : undefined;
    return span === undefined ? parent : trace.setSpan(parent, span);
  };
  const traced: Partial<StudyStorage> = {
    createTrial: async (studyId, trial) => {
      const created = await context.with(parent, () => storage.createTrial(studyId, trial));
      spans.set(
        created.id,
        tracer.startSpan('trial', { attributes: { 'nflab.trial.number': created.number } }, parent),
      );
      return created;
    },
    finishTrial: async (trialId, outcome) => {
      const span = spans.get(trialId);
      try {
        return await context.with(trialContext(trialId), () => storage.finishTrial(trialId, outcome));
      } finally {
        span?.setAttribute('nflab.trial.state', outcome.state);
        span?.end();
        spans.delete(trialId);
      }
    },
  };
  return new Proxy(storage, {
    get(target, key, receiver) {
      const own = traced[key as keyof StudyStorage];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        context.with(TRIAL_METHODS.has(key) ? trialContext(args[0]) : parent, () =>
          (value as (...a: unknown[]) => unknown).apply(target, args),
        );
    },
  });
};
