/**
 * Everything live about one run: its steps, resource samples and trials, loaded once over REST
 * and then extended by the run's events (step and resource rows arrive whole in the event; a trial
 * event reloads the trial list). Rows are de-duplicated by id, so replayed events are harmless.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './endpoints.js';
import type { ResourceSample, RunStatus, StepMetric, Trial } from './types.js';
import { useLiveEvents, type LiveConnection, type LiveEvent } from './use-events.js';

/** The live data of a run. */
export interface RunLive {
  readonly steps: readonly StepMetric[];
  readonly resources: readonly ResourceSample[];
  readonly trials: readonly Trial[];
  /** The latest status an event reported (undefined until one arrives). */
  readonly status: RunStatus | undefined;
  readonly connection: LiveConnection;
  readonly error: unknown;
}

const appendNew = <T extends { readonly id: number }>(rows: readonly T[], added: readonly T[]): T[] => {
  const last = rows.length === 0 ? -1 : (rows[rows.length - 1] as T).id;
  const fresh = added.filter((row) => row.id > last);
  return fresh.length === 0 ? (rows as T[]) : [...rows, ...fresh];
};

/** Both lists as one, each id once, in id order (fills gaps that `appendNew` cannot). */
const mergeById = <T extends { readonly id: number }>(rows: readonly T[], loaded: readonly T[]): T[] => {
  const byId = new Map<number, T>();
  for (const row of [...rows, ...loaded]) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => a.id - b.id);
};

/** A run's steps, resource samples and trials as stored now. */
const loadRows = (runId: string) =>
  Promise.all([api.stepMetrics(runId), api.resources(runId), api.trials(runId)]);

/** Loads and follows one run; `live: false` loads once and opens no stream (finished runs). */
export const useRunLive = (runId: string, live: boolean): RunLive => {
  const [steps, setSteps] = useState<readonly StepMetric[]>([]);
  const [resources, setResources] = useState<readonly ResourceSample[]>([]);
  const [trials, setTrials] = useState<readonly Trial[]>([]);
  const [status, setStatus] = useState<RunStatus | undefined>();
  const [error, setError] = useState<unknown>();
  const trialTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let current = true;
    setSteps([]);
    setResources([]);
    setTrials([]);
    setStatus(undefined);
    loadRows(runId).then(
      ([s, r, t]) => {
        if (!current) return;
        // Events may have arrived while these loaded: keep whichever rows are newer.
        setSteps((live) => appendNew(s, live));
        setResources((live) => appendNew(r, live));
        setTrials(t);
      },
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
      if (trialTimer.current !== undefined) clearTimeout(trialTimer.current);
    };
  }, [runId]);

  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (!('run_id' in event.data) || event.data.run_id !== runId) return;
      switch (event.type) {
        case 'step':
          setSteps((rows) => appendNew(rows, [{ learning_rate: null, ...event.data }]));
          break;
        case 'resource':
          setResources((rows) => appendNew(rows, [event.data as unknown as ResourceSample]));
          break;
        case 'trial':
          // Trials change state several times a second in a busy search: reload at most twice a second.
          if (trialTimer.current === undefined) {
            trialTimer.current = setTimeout(() => {
              trialTimer.current = undefined;
              api.trials(runId).then(setTrials, setError);
            }, 500);
          }
          break;
        case 'run-status':
          setStatus(event.data.status);
          break;
        case 'sweep-progress':
          break;
      }
    },
    [runId],
  );
  const connection = useLiveEvents(live ? { runId } : {}, onEvent);
  // A stream starts at "now": whatever happened between the first load and the stream opening
  // (on a busy machine the run may even have finished) is read again once it is open.
  useEffect(() => {
    if (!live || connection !== 'open') return;
    let current = true;
    Promise.all([api.run(runId), loadRows(runId)]).then(
      ([run, [s, r, t]]) => {
        if (!current) return;
        setStatus(run.status);
        setSteps((rows) => mergeById(rows, s));
        setResources((rows) => mergeById(rows, r));
        setTrials(t);
      },
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [live, connection, runId]);
  return { steps, resources, trials, status, connection, error };
};
