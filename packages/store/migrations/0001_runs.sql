-- Runs and sweeps: the heart of the lab. One row of nf_model_runs is one model fit (an Auto model
-- with its hyperparameter search, or a plain model); a sweep is a grid of runs.

-- Keeps updated_at honest whatever code path writes the row. clock_timestamp(), not now(): a row
-- inserted and updated in one transaction still shows that it changed.
CREATE FUNCTION nflab_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$$;

CREATE TABLE nf_sweeps (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text,
  -- The sweep spec as the user wrote it (validated by the contracts zod schema before insert).
  spec           jsonb NOT NULL,
  -- How the grid is walked; the vocabulary belongs to the sweep spec schema, so it is not fixed here.
  mode           text NOT NULL DEFAULT 'grid',
  status         text NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
  -- Runs the expansion produced (written by whoever creates the sweep).
  planned_runs   integer CHECK (planned_runs >= 0),
  -- Per-status counts of the sweep's runs, maintained by the nf_model_runs_sweep_counts trigger:
  -- a progress bar reads one row instead of counting thousands, and no writer can forget them.
  runs_queued    integer NOT NULL DEFAULT 0 CHECK (runs_queued >= 0),
  runs_running   integer NOT NULL DEFAULT 0 CHECK (runs_running >= 0),
  runs_finished  integer NOT NULL DEFAULT 0 CHECK (runs_finished >= 0),
  runs_failed    integer NOT NULL DEFAULT 0 CHECK (runs_failed >= 0),
  runs_cancelled integer NOT NULL DEFAULT 0 CHECK (runs_cancelled >= 0),
  start_time     timestamptz,
  end_time       timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nf_sweeps_status_idx ON nf_sweeps (status);
CREATE INDEX nf_sweeps_created_at_idx ON nf_sweeps (created_at DESC);
CREATE TRIGGER nf_sweeps_touch BEFORE UPDATE ON nf_sweeps
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

-- Seed columns first (kept nullable: runs logged through the MLflow-compatible API carry only what
-- the client sends), then what reproduces a run, links it and lets workers queue it.
CREATE TABLE nf_model_runs (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  table_name          text,
  loto                text,
  unique_ids          text[] NOT NULL DEFAULT '{}',
  model_name          text,
  backend             text CHECK (backend IN ('optuna', 'ray')),
  horizon             integer CHECK (horizon > 0),
  loss                text,
  metric              text,
  optimization_config jsonb NOT NULL DEFAULT '{}',
  search_space        jsonb,
  status              text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
  start_time          timestamptz,
  end_time            timestamptz,
  duration_seconds    double precision CHECK (duration_seconds >= 0),
  metrics             jsonb NOT NULL DEFAULT '{}',
  best_params         jsonb,
  model_properties    jsonb,
  resource_summary    jsonb,
  system_info         jsonb,
  error_message       text,
  traceback           text,
  logs                text,
  mlflow_run_id       text,
  mlflow_experiment   text,
  -- Reproduction: the full run spec, the seed, a hash of the exact input rows, the engine version.
  spec                jsonb,
  seed                bigint,
  data_fingerprint    text,
  engine_version      text,
  -- A sweep's runs are its content: deleting the sweep deletes them (a registered run still
  -- blocks that, see nf_model_registry).
  sweep_id            uuid REFERENCES nf_sweeps (id) ON DELETE CASCADE,
  -- A refit/re-predict made from another run outlives it as a complete run of its own.
  parent_run_id       uuid REFERENCES nf_model_runs (id) ON DELETE SET NULL,
  -- Queue: workers claim `queued` rows by priority then age (FOR UPDATE SKIP LOCKED), bump
  -- attempt, and refresh heartbeat_at so a dead worker's run can be found and requeued.
  priority            integer NOT NULL DEFAULT 0,
  attempt             integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  worker_id           text,
  heartbeat_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (end_time IS NULL OR start_time IS NULL OR end_time >= start_time)
);
CREATE INDEX nf_model_runs_status_idx ON nf_model_runs (status);
CREATE INDEX nf_model_runs_model_name_idx ON nf_model_runs (model_name);
CREATE INDEX nf_model_runs_backend_idx ON nf_model_runs (backend);
CREATE INDEX nf_model_runs_loto_idx ON nf_model_runs (loto);
CREATE INDEX nf_model_runs_table_name_idx ON nf_model_runs (table_name);
CREATE INDEX nf_model_runs_created_at_idx ON nf_model_runs (created_at DESC);
CREATE INDEX nf_model_runs_start_time_idx ON nf_model_runs (start_time DESC);
CREATE INDEX nf_model_runs_sweep_id_idx ON nf_model_runs (sweep_id);
CREATE INDEX nf_model_runs_parent_run_id_idx ON nf_model_runs (parent_run_id);
CREATE INDEX nf_model_runs_mlflow_run_id_idx ON nf_model_runs (mlflow_run_id);
CREATE INDEX nf_model_runs_unique_ids_idx ON nf_model_runs USING gin (unique_ids);
-- Small partial indexes for the two queue scans: next job to claim, stale running jobs.
CREATE INDEX nf_model_runs_queue_idx ON nf_model_runs (priority DESC, created_at) WHERE status = 'queued';
CREATE INDEX nf_model_runs_heartbeat_idx ON nf_model_runs (heartbeat_at) WHERE status = 'running';
CREATE TRIGGER nf_model_runs_touch BEFORE UPDATE ON nf_model_runs
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

CREATE FUNCTION nflab_sweep_run_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested IFs, not AND: OLD/NEW is unset for INSERT/DELETE and PL/pgSQL does not short-circuit.
  IF TG_OP <> 'INSERT' THEN
    IF OLD.sweep_id IS NOT NULL THEN
      UPDATE nf_sweeps SET
        runs_queued    = runs_queued    - (OLD.status = 'queued')::int,
        runs_running   = runs_running   - (OLD.status = 'running')::int,
        runs_finished  = runs_finished  - (OLD.status = 'finished')::int,
        runs_failed    = runs_failed    - (OLD.status = 'failed')::int,
        runs_cancelled = runs_cancelled - (OLD.status = 'cancelled')::int
      WHERE id = OLD.sweep_id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.sweep_id IS NOT NULL THEN
      UPDATE nf_sweeps SET
        runs_queued    = runs_queued    + (NEW.status = 'queued')::int,
        runs_running   = runs_running   + (NEW.status = 'running')::int,
        runs_finished  = runs_finished  + (NEW.status = 'finished')::int,
        runs_failed    = runs_failed    + (NEW.status = 'failed')::int,
        runs_cancelled = runs_cancelled + (NEW.status = 'cancelled')::int
      WHERE id = NEW.sweep_id;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER nf_model_runs_sweep_counts AFTER INSERT OR DELETE OR UPDATE OF status, sweep_id ON nf_model_runs
  FOR EACH ROW EXECUTE FUNCTION nflab_sweep_run_counts();
