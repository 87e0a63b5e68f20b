/**
 * In-memory {@link StudyStorage}. Trials are replaced, never mutated (copy on write), so a listed
 * snapshot stays valid while workers keep writing and listing costs one array copy.
 */
import { ConflictError, NotFoundError } from '@nflab/contracts';
import type { JsonValue, Params } from '../space.js';
import type { FrozenTrial, TrialState } from '../trial.js';
import type { NewTrial, StudyRecord, StudyStorage, TrialOutcome } from './storage.js';

interface StudyEntry {
  record: StudyRecord;
  trials: FrozenTrial[];
  claims: Map<string, number>;
}

const now = (): string => new Date().toISOString();

/** Creates an empty in-memory storage (one per process; share the object between workers). */
export const createMemoryStorage = (): StudyStorage => new MemoryStorage();

class MemoryStorage implements StudyStorage {
  private readonly studies = new Map<number, StudyEntry>();
  private readonly byName = new Map<string, number>();
  private readonly trialIndex = new Map<number, { studyId: number; number: number }>();
  private nextTrialId = 1;

  async createStudy(input: Parameters<StudyStorage['createStudy']>[0]): Promise<StudyRecord> {
    const existing = this.byName.get(input.name);
    if (existing !== undefined) {
      if (!input.loadIfExists)
        throw new ConflictError(`study "${input.name}" already exists; pass loadIfExists to share it`);
      return this.entry(existing).record;
    }
    const id = this.studies.size + 1;
    const record: StudyRecord = {
      id,
      name: input.name,
      direction: input.direction,
      space: input.space ?? null,
      userAttrs: {},
    };
    this.studies.set(id, { record, trials: [], claims: new Map() });
    this.byName.set(input.name, id);
    return record;
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    const id = this.byName.get(name);
    return id === undefined ? undefined : this.entry(id).record;
  }

  async createTrial(studyId: number, init: NewTrial): Promise<FrozenTrial> {
    const entry = this.entry(studyId);
    const trial: FrozenTrial = {
      id: this.nextTrialId++,
      studyId,
      number: entry.trials.length,
      state: init.state,
      params: { ...init.params },
      value: null,
      intermediateValues: {},
      userAttrs: { ...init.userAttrs },
      systemAttrs: {},
      error: null,
      datetimeStart: init.state === 'RUNNING' ? now() : null,
      datetimeComplete: null,
      heartbeatAt: null,
    };
    entry.trials.push(trial);
    this.trialIndex.set(trial.id, { studyId, number: trial.number });
    return trial;
  }

  async popWaitingTrial(studyId: number): Promise<FrozenTrial | undefined> {
    const waiting = this.entry(studyId).trials.find((t) => t.state === 'WAITING');
    if (!waiting) return undefined;
    return this.update(waiting.id, (t) => ({ ...t, state: 'RUNNING', datetimeStart: now() }));
  }

  async setTrialParams(trialId: number, params: Params): Promise<void> {
    this.update(trialId, (t) => ({ ...t, params: { ...t.params, ...params } }), true);
  }

  async reportIntermediate(trialId: number, step: number, value: number): Promise<void> {
    this.update(
      trialId,
      (t) => ({ ...t, intermediateValues: { ...t.intermediateValues, [step]: value } }),
      true,
    );
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.update(trialId, (t) => ({ ...t, userAttrs: { ...t.userAttrs, [key]: value } }));
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.update(trialId, (t) => ({ ...t, systemAttrs: { ...t.systemAttrs, [key]: value } }));
  }

  async claim(studyId: number, key: string, trialId: number): Promise<boolean> {
    const claims = this.entry(studyId).claims;
    if (claims.has(key)) return false;
    claims.set(key, trialId);
    return true;
  }

  async finishTrial(trialId: number, outcome: TrialOutcome): Promise<boolean> {
    const current = this.trial(trialId);
    if (current.state !== 'RUNNING') return false;
    this.update(trialId, (t) => ({
      ...t,
      state: outcome.state,
      value: outcome.value ?? null,
      error: outcome.error ?? null,
      datetimeComplete: now(),
    }));
    return true;
  }

  async heartbeat(trialId: number): Promise<void> {
    this.update(trialId, (t) => ({ ...t, heartbeatAt: now() }), true);
  }

  async getTrial(trialId: number): Promise<FrozenTrial | undefined> {
    return this.trialIndex.has(trialId) ? this.trial(trialId) : undefined;
  }

  async listTrials(
    studyId: number,
    options?: { states?: readonly TrialState[] },
  ): Promise<readonly FrozenTrial[]> {
    const trials = this.entry(studyId).trials;
    const states = options?.states;
    return states ? trials.filter((t) => states.includes(t.state)) : trials.slice();
  }

  private entry(studyId: number): StudyEntry {
    const entry = this.studies.get(studyId);
    if (!entry) throw new NotFoundError(`study id ${studyId} does not exist`);
    return entry;
  }

  private trial(trialId: number): FrozenTrial {
    const at = this.trialIndex.get(trialId);
    if (!at) throw new NotFoundError(`trial id ${trialId} does not exist`);
    return this.entry(at.studyId).trials[at.number] as FrozenTrial;
  }

  /** Replaces a trial; `runningOnly` refuses writes to finished trials, as Optuna does. */
  private update(trialId: number, change: (t: FrozenTrial) => FrozenTrial, runningOnly = false): FrozenTrial {
    const current = this.trial(trialId);
    if (runningOnly && current.state !== 'RUNNING') {
      throw new ConflictError(
        `trial ${current.number} is ${current.state}; only a RUNNING trial can be changed`,
      );
    }
    const next = change(current);
    (this.entry(current.studyId).trials as FrozenTrial[])[current.number] = next;
    return next;
  }
}
