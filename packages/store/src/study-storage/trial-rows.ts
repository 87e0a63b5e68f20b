/**
 * Reading trials back: one statement gathers a trial with its params and intermediate values
 * (lateral aggregates, so listing a study is one query, never one per trial), and the mapping from
 * those rows to tune's FrozenTrial.
 */
import type { FrozenTrial, JsonValue, Params, TrialError, TrialState } from '@nflab/tune';
import type { Queryable } from '../db.js';

/** One trial as {@link TRIAL_SELECT} returns it. */
interface TrialQueryRow {
  id: number | bigint;
  study_id: number | bigint;
  number: number;
  state: TrialState;
  value: number | null;
  user_attrs: Record<string, JsonValue>;
  system_attrs: Record<string, JsonValue>;
  error_message: string | null;
  traceback: string | null;
  cancelled: boolean;
  datetime_start: Date | string | null;
  datetime_complete: Date | string | null;
  heartbeat_at: Date | string | null;
  params: Params;
  steps: number[] | null;
  step_values: number[] | null;
}

// float8[] rather than JSON for intermediate values: both drivers parse NaN and ±Infinity in
// arrays back to numbers, while JSON would turn them into strings.
const TRIAL_SELECT = `
  SELECT t.id, t.study_id, t.number, t.state, t.value, t.user_attrs, t.system_attrs,
         t.error_message, t.traceback, t.cancelled, t.datetime_start, t.datetime_complete, t.heartbeat_at,
         coalesce(p.params, '{}'::jsonb) AS params, iv.steps, iv.step_values
  FROM nf_trials t
  LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(name, value) AS params FROM nf_trial_params WHERE trial_id = t.id
  ) p ON true
  LEFT JOIN LATERAL (
    SELECT array_agg(step ORDER BY step) AS steps, array_agg(value ORDER BY step) AS step_values
    FROM nf_trial_intermediate_values WHERE trial_id = t.id
  ) iv ON true`;

const isoOrNull = (at: Date | string | null): string | null =>
  at === null ? null : new Date(at).toISOString();

const errorOf = (row: TrialQueryRow): TrialError | null => {
  if (row.error_message === null) return null;
  return {
    message: row.error_message,
    ...(row.traceback === null ? {} : { stack: row.traceback }),
    ...(row.cancelled ? { cancelled: true } : {}),
  };
};

const intermediateValuesOf = (row: TrialQueryRow): Record<number, number> => {
  const values: Record<number, number> = {};
  row.steps?.forEach((step, i) => {
    values[step] = Number(row.step_values?.[i]);
  });
  return values;
};

const toFrozenTrial = (row: TrialQueryRow): FrozenTrial => ({
  id: Number(row.id),
  studyId: Number(row.study_id),
  number: row.number,
  state: row.state,
  params: row.params,
  value: row.value === null ? null : Number(row.value),
  intermediateValues: intermediateValuesOf(row),
  userAttrs: row.user_attrs,
  systemAttrs: row.system_attrs,
  error: errorOf(row),
  datetimeStart: isoOrNull(row.datetime_start),
  datetimeComplete: isoOrNull(row.datetime_complete),
  heartbeatAt: isoOrNull(row.heartbeat_at),
});

/** One trial by id, or undefined. */
export const readTrial = async (db: Queryable, trialId: number): Promise<FrozenTrial | undefined> => {
  const { rows } = await db.query<TrialQueryRow>(`${TRIAL_SELECT} WHERE t.id = $1`, [trialId]);
  return rows[0] && toFrozenTrial(rows[0]);
};

/** A study's trials ordered by number; only `states` when given. */
export const readStudyTrials = async (
  db: Queryable,
  studyId: number,
  states: readonly TrialState[] | undefined,
): Promise<FrozenTrial[]> => {
  const { rows } = await db.query<TrialQueryRow>(
    `${TRIAL_SELECT}
     WHERE t.study_id = $1 AND ($2::text[] IS NULL OR t.state = ANY ($2::text[]))
     ORDER BY t.number`,
    [studyId, states === undefined ? null : [...states]],
  );
  return rows.map(toFrozenTrial);
};
