-- One model registry for the lab and for MLflow clients (issue 17, item 4). nf_model_registry stays
-- the table of versions (the lab's stages dev/staging/prod/archived are MLflow's None/Staging/
-- Production/Archived, and its aliases are MLflow's aliases); a registered model becomes a row of
-- its own so it can exist before its first version, carry a description and tags, be renamed (its
-- versions follow by ON UPDATE CASCADE) and be deleted with its versions. Versions MLflow clients
-- register may name no lab run, and say where the model lives (`source`, a logged model's id).
-- MLflow 3's logged models and the runs' model outputs get tables of their own.

CREATE TABLE nf_registered_models (
  name        text PRIMARY KEY CHECK (name <> ''),
  description text,
  tags        jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER nf_registered_models_touch BEFORE UPDATE ON nf_registered_models
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

-- Every name promote wrote so far becomes a registered model, dated by its first version.
INSERT INTO nf_registered_models (name, created_at, updated_at)
  SELECT name, min(created_at), max(updated_at) FROM nf_model_registry GROUP BY name;

ALTER TABLE nf_model_registry
  ADD CONSTRAINT nf_model_registry_name_fkey FOREIGN KEY (name)
    REFERENCES nf_registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
  ALTER COLUMN run_id DROP NOT NULL,
  -- Where the model files are (`runs:/<run>/model`, `models:/m-…`, an artifact URI); null: the run's.
  ADD COLUMN source text,
  -- The MLflow logged model this version registers, if any (no foreign key: the version outlives it).
  ADD COLUMN model_id text,
  ADD COLUMN run_link text NOT NULL DEFAULT '';

-- MLflow 3 logged models: a model's own record (params, tags, metrics) beside the run that made it.
CREATE TABLE nf_mlflow_logged_models (
  -- 'm-' and 32 hex digits, as MLflow names them.
  model_id          text PRIMARY KEY,
  experiment_id     bigint NOT NULL REFERENCES nf_mlflow_experiments (id) ON DELETE CASCADE,
  name              text NOT NULL,
  source_run_id     uuid REFERENCES nf_model_runs (id) ON DELETE SET NULL,
  status            text NOT NULL DEFAULT 'LOGGED_MODEL_PENDING'
                    CHECK (status IN ('LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED')),
  model_type        text NOT NULL DEFAULT '',
  artifact_uri      text NOT NULL,
  params            jsonb NOT NULL DEFAULT '{}',
  lifecycle_stage   text NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
  -- Milliseconds since the epoch, as MLflow answers them.
  creation_time     bigint NOT NULL,
  last_update_time  bigint NOT NULL
);
CREATE INDEX nf_mlflow_logged_models_experiment_idx ON nf_mlflow_logged_models (experiment_id, name);

CREATE TABLE nf_mlflow_logged_model_tags (
  model_id text NOT NULL REFERENCES nf_mlflow_logged_models (model_id) ON DELETE CASCADE,
  key      text NOT NULL,
  value    text NOT NULL,
  PRIMARY KEY (model_id, key)
);

-- The metric points a client logged with a model_id (MLflow lists them as the model's metrics).
CREATE TABLE nf_mlflow_logged_model_metrics (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id     text NOT NULL REFERENCES nf_mlflow_logged_models (model_id) ON DELETE CASCADE,
  run_id       uuid REFERENCES nf_model_runs (id) ON DELETE SET NULL,
  key          text NOT NULL,
  value        double precision NOT NULL,
  timestamp_ms bigint NOT NULL,
  step         bigint NOT NULL DEFAULT 0,
  UNIQUE (model_id, run_id, key, step, timestamp_ms, value)
);

-- A run's model outputs (runs/outputs), in the order they were logged.
CREATE TABLE nf_mlflow_run_outputs (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id   uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  model_id text NOT NULL REFERENCES nf_mlflow_logged_models (model_id) ON DELETE CASCADE,
  step     bigint NOT NULL DEFAULT 0,
  UNIQUE (run_id, model_id)
);
