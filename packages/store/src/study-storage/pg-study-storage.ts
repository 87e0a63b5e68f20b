/**
 * @nflab/tune's StudyStorage over the lab database (nf_studies, nf_trials and their side tables),
 * so every trial of a search is in PostgreSQL the moment it happens and workers on any machine
 * that reaches the database share one study. Semantics follow tune's in-memory storage exactly;
 * tune's STORAGE_CHECKS hold for both.
 */
import { ConflictError, NotFoundError } from '@nflab/contracts';
import type {
  FrozenTrial,
  JsonValue,
  NewTrial,
  Params,
  SearchSpace,
  StudyRecord,
  StudyStorage,
  TrialOutcome,
  TrialState,
} from '@nflab/tune';
import type { Db, Queryable } from '../db.js';
import { readStudyTrials, readTrial } from './trial-rows.js';

/** Options of {@link createPgStudyStorage}. */
export interface PgStudyStorageOptions {
  /** The run this storage's new studies belong to (nf_studies.run_id), so trials show under the run. */
  readonly runId?: string;
  /** Identifies the worker in nf_trials.worker_id. */
  readonly workerId?: string;
}

/** A StudyStorage keeping studies and trials in the lab database `db` (PGlite or a server). */
export const createPgStudyStorage = (db: Db, options: PgStudyStorageOptions = {}): StudyStorage =>
  new PgStudyStorage(db, options.runId ?? null, options.workerId ?? null);

interface StudyQueryRow {
  id: number | bigint;
  name: string;
  direction: StudyRecord['direction'];
  space: SearchSpace | null;
  user_attrs: Record<string, JsonValue>;
}

const toStudyRecord = (row: StudyQueryRow): StudyRecord => ({
  id: Number(row.id),
  name: row.name,
  direction: row.direction,
  space: row.space,
  userAttrs: row.user_attrs,
});

const STUDY_COLUMNS = 'id, name, direction, space, user_attrs';

/** The SQLSTATE of a driver error wrapped by the Db (StoreError keeps it as `cause`). */
const sqlState = (error: unknown): string | undefined => {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

// JSON text cast with ::jsonb in SQL: node-postgres would send a bare string parameter unquoted.
const json = (value: JsonValue | Params | SearchSpace): string => JSON.stringify(value);

type AttrColumn = 'user_attrs' | 'system_attrs';

class PgStudyStorage implements StudyStorage {
  constructor(
    private readonly db: Db,
    private readonly runId: string | null,
    private readonly workerId: string | null,
  ) {}

  async createStudy(input: Parameters<StudyStorage['createStudy']>[0]): Promise<StudyRecord> {
    const created = await this.db
      .query<StudyQueryRow>(
        `INSERT INTO nf_studies (name, run_id, direction, space) VALUES ($1, $2, $3, $4::json)
         ON CONFLICT (name) DO NOTHING RETURNING ${STUDY_COLUMNS}`,
        [input.name, this.runId, input.direction, input.space ? json(input.space) : null],
      )
      .catch((error: unknown) => {
        throw this.studyInsertError(error, input.name);
      });
    if (created.rows[0]) return toStudyRecord(created.rows[0]);
    if (!input.loadIfExists)
      throw new ConflictError(`study "${input.name}" already exists; pass loadIfExists to share it`);
    const existing = await this.getStudy(input.name);
    // ON CONFLICT saw the row, so it exists unless it was deleted in between.
    if (!existing) throw new NotFoundError(`study "${input.name}" was deleted while being loaded`);
    return existing;
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    const { rows } = await this.db.query<StudyQueryRow>(
      `SELECT ${STUDY_COLUMNS} FROM nf_studies WHERE name = $1`,
      [name],
    );
    return rows[0] && toStudyRecord(rows[0]);
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial> {
    return this.db.transaction(async (tx) => {
      // The study row lock serialises numbering across connections and machines: the next
      // transaction reads max(number) only after this one committed its trial. NO KEY UPDATE
      // leaves the foreign-key checks of concurrent claims and trial inserts unblocked.
      const study = await tx.query('SELECT 1 FROM nf_studies WHERE id = $1 FOR NO KEY UPDATE', [studyId]);
      if (study.rows.length === 0) throw missingStudy(studyId);
      const running = trial.state === 'RUNNING';
      const { rows } = await tx.query<{ id: number | bigint }>(
        `INSERT INTO nf_trials (study_id, number, state, user_attrs, datetime_start, worker_id)
         SELECT $1, coalesce(max(number) + 1, 0), $2, $3::jsonb,
                CASE WHEN $4::boolean THEN now() END, CASE WHEN $4::boolean THEN $5 END
         FROM nf_trials WHERE study_id = $1
         RETURNING id`,
        [studyId, trial.state, json(trial.userAttrs ?? {}), running, this.workerId],
      );
      const id = Number(rows[0]?.id);
      // Enqueued parameters are fixed, not drawn from a distribution (distribution stays null).
      if (trial.params && Object.keys(trial.params).length > 0) {
        await tx.query(
          `INSERT INTO nf_trial_params (trial_id, name, value)
           SELECT $1, key, value FROM jsonb_each($2::jsonb)`,
          [id, json(trial.params)],
        );
      }
      return this.mustRead(tx, id);
    });
  }

  async popWaitingTrial(studyId: number): Promise<FrozenTrial | undefined> {
    // SKIP LOCKED: concurrent poppers each take a different WAITING trial instead of queueing on one.
    const { rows } = await this.db.query<{ id: number | bigint }>(
      `UPDATE nf_trials SET state = 'RUNNING', datetime_start = now(), worker_id = $2
       WHERE id = (
         SELECT id FROM nf_trials WHERE study_id = $1 AND state = 'WAITING'
         ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [studyId, this.workerId],
    );
    if (rows[0]) return this.mustRead(this.db, Number(rows[0].id));
    await this.assertStudy(studyId);
    return undefined;
  }

  async setTrialParams(trialId: number, params: Params): Promise<void> {
    // FOR SHARE waits for a concurrent finishTrial and then sees its state, so no parameter lands
    // on a trial that finished first. The distribution comes from the study's space when it has one.
    const { rows } = await this.db.query<GuardRow>(
      `WITH t AS (SELECT id, study_id, state, number FROM nf_trials WHERE id = $1 FOR SHARE),
       written AS (
         INSERT INTO nf_trial_params (trial_id, name, value, distribution)
         SELECT t.id, p.key, p.value, s.space -> p.key
         FROM t LEFT JOIN nf_studies s ON s.id = t.study_id, jsonb_each($2::jsonb) p
         WHERE t.state = 'RUNNING'
         ON CONFLICT (trial_id, name)
         DO UPDATE SET value = excluded.value, distribution = excluded.distribution)
       SELECT state, number FROM t`,
      [trialId, json(params)],
    );
    assertRunning(trialId, rows[0]);
  }

  async reportIntermediate(trialId: number, step: number, value: number): Promise<void> {
    const { rows } = await this.db.query<GuardRow>(
      `WITH t AS (SELECT id, state, number FROM nf_trials WHERE id = $1 FOR SHARE),
       written AS (
         INSERT INTO nf_trial_intermediate_values (trial_id, step, value)
         SELECT t.id, $2, $3 FROM t WHERE t.state = 'RUNNING'
         ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value)
       SELECT state, number FROM t`,
      [trialId, step, value],
    );
    assertRunning(trialId, rows[0]);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.mergeAttr('user_attrs', trialId, key, value);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.mergeAttr('system_attrs', trialId, key, value);
  }

  async claim(studyId: number, key: string, trialId: number): Promise<boolean> {
    const { rows } = await this.db
      .query(
        `INSERT INTO nf_study_claims (study_id, key, trial_id) VALUES ($1, $2, $3)
         ON CONFLICT (study_id, key) DO NOTHING RETURNING key`,
        [studyId, key, trialId],
      )
      .catch((error: unknown) => {
        if (sqlState(error) !== FOREIGN_KEY_VIOLATION) throw error;
        throw new NotFoundError(
          `cannot claim "${key}": study id ${studyId} or trial id ${trialId} does not exist`,
        );
      });
    return rows.length === 1;
  }

  async finishTrial(trialId: number, outcome: TrialOutcome): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const locked = await tx.query<{ state: TrialState }>(
        'SELECT state FROM nf_trials WHERE id = $1 FOR UPDATE',
        [trialId],
      );
      const current = locked.rows[0];
      if (!current) throw missingTrial(trialId);
      if (current.state !== 'RUNNING') return false;
      const value = outcome.value ?? null;
      const error = outcome.error ?? null;
      await tx.query(
        `UPDATE nf_trials SET state = $2, value = $3, error_message = $4, traceback = $5, cancelled = $6,
                datetime_complete = now()
         WHERE id = $1`,
        [
          trialId,
          outcome.state,
          value,
          error?.message ?? null,
          error?.stack ?? null,
          error?.cancelled === true,
        ],
      );
      // nf_trial_values holds every objective; this single-objective study writes objective 0.
      if (value !== null) {
        await tx.query(
          `INSERT INTO nf_trial_values (trial_id, objective, value) VALUES ($1, 0, $2)
           ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value`,
          [trialId, value],
        );
      }
      return true;
    });
  }

  async heartbeat(trialId: number): Promise<void> {
    const { rows } = await this.db.query(
      `UPDATE nf_trials SET heartbeat_at = now(), worker_id = coalesce($2, worker_id)
       WHERE id = $1 AND state = 'RUNNING' RETURNING id`,
      [trialId, this.workerId],
    );
    if (rows.length === 1) return;
    const { rows: found } = await this.db.query<GuardRow>(
      'SELECT state, number FROM nf_trials WHERE id = $1',
      [trialId],
    );
    assertRunning(trialId, found[0]);
  }

  async getTrial(trialId: number): Promise<FrozenTrial | undefined> {
    return readTrial(this.db, trialId);
  }

  async listTrials(
    studyId: number,
    options?: { states?: readonly TrialState[] },
  ): Promise<readonly FrozenTrial[]> {
    const trials = await readStudyTrials(this.db, studyId, options?.states);
    if (trials.length === 0) await this.assertStudy(studyId);
    return trials;
  }

  private async mergeAttr(column: AttrColumn, trialId: number, key: string, value: JsonValue): Promise<void> {
    const { rows } = await this.db.query(
      `UPDATE nf_trials SET ${column} = ${column} || jsonb_build_object($2::text, $3::jsonb)
       WHERE id = $1 RETURNING id`,
      [trialId, key, json(value)],
    );
    if (rows.length === 0) throw missingTrial(trialId);
  }

  private async mustRead(db: Queryable, trialId: number): Promise<FrozenTrial> {
    const trial = await readTrial(db, trialId);
    if (!trial) throw missingTrial(trialId);
    return trial;
  }

  private async assertStudy(studyId: number): Promise<void> {
    const { rows } = await this.db.query('SELECT 1 FROM nf_studies WHERE id = $1', [studyId]);
    if (rows.length === 0) throw missingStudy(studyId);
  }

  private studyInsertError(error: unknown, name: string): unknown {
    if (this.runId === null) return error;
    const state = sqlState(error);
    if (state === UNIQUE_VIOLATION)
      return new ConflictError(
        `run ${this.runId} already has a study; create study "${name}" without runId or under another run`,
        { cause: error },
      );
    if (state === FOREIGN_KEY_VIOLATION)
      return new NotFoundError(`runId ${this.runId} is not a run in nf_model_runs; create the run first`, {
        cause: error,
      });
    return error;
  }
}

/** The state of a trial a guarded write targeted (no row: the trial does not exist). */
interface GuardRow {
  state: TrialState;
  number: number;
}

/** Refuses writes to finished (or waiting) trials, as Optuna and the in-memory storage do. */
const assertRunning = (trialId: number, row: GuardRow | undefined): void => {
  if (!row) throw missingTrial(trialId);
  if (row.state !== 'RUNNING')
    throw new ConflictError(`trial ${row.number} is ${row.state}; only a RUNNING trial can be changed`);
};

const missingTrial = (trialId: number): NotFoundError =>
  new NotFoundError(`trial id ${trialId} does not exist`);
const missingStudy = (studyId: number): NotFoundError =>
  new NotFoundError(`study id ${studyId} does not exist`);
