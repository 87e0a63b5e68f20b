/**
 * Ensembles (nf_ensemble_members): the links from an `ensemble` run to its members, written with
 * the run when it is queued, weighted when it finishes; and what an ensemble reads of its members —
 * their stored forecasts beyond the data (their evaluated points come from `listRunPoints`).
 */
import type { Queryable } from '../db.js';
import type { ModelRunRow } from '../schema/tables.js';

/** What submitting an ensemble checks of each member. */
export type EnsembleCandidateRow = Pick<
  ModelRunRow,
  'id' | 'status' | 'table_name' | 'loto' | 'horizon' | 'unique_ids' | 'model_name' | 'operation' | 'spec'
>;

/** The runs with these ids (unknown ids are left out; the caller names them). */
export const findEnsembleCandidates = async (
  db: Queryable,
  ids: readonly string[],
): Promise<EnsembleCandidateRow[]> =>
  (
    await db.query<EnsembleCandidateRow>(
      `SELECT id, status, table_name, loto, horizon, unique_ids, model_name, operation, spec
         FROM nf_model_runs WHERE id = ANY($1::uuid[])`,
      [ids],
    )
  ).rows;

/** Links a queued ensemble run to its members, in request order (weights come when it finishes). */
export const insertEnsembleMembers = async (
  tx: Queryable,
  runId: string,
  memberIds: readonly string[],
): Promise<void> => {
  await tx.query(
    `INSERT INTO nf_ensemble_members (run_id, member_run_id, position)
     SELECT $1, member, position FROM unnest($2::uuid[]) WITH ORDINALITY AS m(member, position)`,
    [runId, memberIds],
  );
};

/** A member's weight in the forecast and its error on the shared evaluated points. */
export interface EnsembleMemberWeight {
  readonly member_run_id: string;
  readonly weight: number | null;
  readonly error: number | null;
}

/** Records the members' weights and errors of a finished ensemble (in its finishing transaction). */
export const recordEnsembleWeights = async (
  tx: Queryable,
  runId: string,
  weights: readonly EnsembleMemberWeight[],
): Promise<void> => {
  if (weights.length === 0) return;
  await tx.query(
    `UPDATE nf_ensemble_members AS m SET weight = (w->>'weight')::float8, error = (w->>'error')::float8
       FROM jsonb_array_elements($2::jsonb) AS batch(w)
      WHERE m.run_id = $1 AND m.member_run_id = (w->>'member_run_id')::uuid`,
    [runId, JSON.stringify(weights)],
  );
};

/** One member of an ensemble run, with the run's model and status. */
export interface EnsembleMemberListRow {
  readonly run_id: string;
  readonly position: number;
  readonly model_name: string | null;
  readonly status: string;
  readonly weight: number | null;
  readonly error: number | null;
}

/** The members of ensemble `runId`, in position order (none for a run that is not an ensemble). */
export const listEnsembleMembers = async (db: Queryable, runId: string): Promise<EnsembleMemberListRow[]> =>
  (
    await db.query<EnsembleMemberListRow>(
      `SELECT m.member_run_id AS run_id, m.position, r.model_name, r.status, m.weight, m.error
         FROM nf_ensemble_members m JOIN nf_model_runs r ON r.id = m.member_run_id
        WHERE m.run_id = $1 ORDER BY m.position`,
      [runId],
    )
  ).rows;

/** An ensemble a run is a member of. */
export interface MemberOfEnsembleRow {
  readonly run_id: string;
  readonly status: string;
  readonly method: string;
  readonly created_at: Date;
}

/** The ensembles `runId` is a member of, newest first, at most `limit`. */
export const listEnsemblesOfMember = async (
  db: Queryable,
  runId: string,
  limit: number,
): Promise<MemberOfEnsembleRow[]> =>
  (
    await db.query<MemberOfEnsembleRow>(
      `SELECT r.id AS run_id, r.status, r.operation_options->>'method' AS method, r.created_at
         FROM nf_ensemble_members m JOIN nf_model_runs r ON r.id = m.run_id
        WHERE m.member_run_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [runId, limit],
    )
  ).rows;

/** One point forecast beyond the data (dates as 'YYYY-MM-DD'; integer positions for stepped series). */
export interface ForecastPointRow {
  readonly run_id: string;
  readonly unique_id: string;
  readonly ds: string | number;
  readonly value: number;
}

/**
 * The point forecasts (suffix '') beyond the data of these runs, at most `limit` rows (the caller
 * checks whether the limit was reached and says so).
 */
export const listRunForecastPoints = async (
  db: Queryable,
  runIds: readonly string[],
  limit: number,
): Promise<ForecastPointRow[]> =>
  (
    await db.query<ForecastPointRow>(
      `SELECT run_id, unique_id, COALESCE(ds::text, step::text) AS ds, value
         FROM nf_predictions WHERE run_id = ANY($1::uuid[]) AND kind = 'forecast' AND suffix = ''
        ORDER BY run_id, unique_id, ds, step LIMIT $2`,
      [runIds, limit],
    )
  ).rows;
