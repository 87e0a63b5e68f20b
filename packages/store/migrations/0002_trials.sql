-- Hyperparameter-search trials of a run. Params, objective values and intermediate values live in
-- their own tables (as in Optuna's storage) so a sampler can read the history of one parameter and a
-- pruner the values at one step without unpacking JSON, and multi-objective studies fit unchanged.

CREATE TABLE nf_trials (
  id                bigserial PRIMARY KEY,
  run_id            uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  -- 0-based order of the trial within its run's study.
  number            integer NOT NULL CHECK (number >= 0),
  state             text NOT NULL DEFAULT 'RUNNING'
                    CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')),
  -- The objective of a single-objective study (nf_trial_values holds every objective).
  value             double precision,
  datetime_start    timestamptz,
  datetime_complete timestamptz,
  -- Refreshed by the worker running the trial; a RUNNING trial whose heartbeat is old is failed.
  heartbeat_at      timestamptz,
  worker_id         text,
  user_attrs        jsonb NOT NULL DEFAULT '{}',
  system_attrs      jsonb NOT NULL DEFAULT '{}',
  error_message     text,
  traceback         text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, number),
  CHECK (datetime_complete IS NULL OR datetime_start IS NULL OR datetime_complete >= datetime_start)
);
CREATE INDEX nf_trials_run_state_idx ON nf_trials (run_id, state);
CREATE INDEX nf_trials_heartbeat_idx ON nf_trials (heartbeat_at) WHERE state = 'RUNNING';
CREATE TRIGGER nf_trials_touch BEFORE UPDATE ON nf_trials
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

CREATE TABLE nf_trial_params (
  id           bigserial PRIMARY KEY,
  trial_id     bigint NOT NULL REFERENCES nf_trials (id) ON DELETE CASCADE,
  name         text NOT NULL,
  -- The value as JSON, so list-valued categorical choices (e.g. n_pool_kernel_size) store as they are.
  value        jsonb NOT NULL,
  -- The search-space primitive it was drawn from; null for a fixed (enqueued) parameter.
  distribution jsonb,
  UNIQUE (trial_id, name)
);

CREATE TABLE nf_trial_values (
  id        bigserial PRIMARY KEY,
  trial_id  bigint NOT NULL REFERENCES nf_trials (id) ON DELETE CASCADE,
  objective integer NOT NULL CHECK (objective >= 0),
  -- double precision keeps ±Infinity and NaN natively (no separate value_type column needed).
  value     double precision NOT NULL,
  UNIQUE (trial_id, objective)
);

CREATE TABLE nf_trial_intermediate_values (
  id       bigserial PRIMARY KEY,
  trial_id bigint NOT NULL REFERENCES nf_trials (id) ON DELETE CASCADE,
  step     integer NOT NULL CHECK (step >= 0),
  value    double precision NOT NULL,
  UNIQUE (trial_id, step)
);
