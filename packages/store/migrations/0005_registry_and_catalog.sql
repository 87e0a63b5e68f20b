-- Things that outlive a single run: the model registry, datasets and feature sets, reports, drift
-- measurements and the audit log.

CREATE TABLE nf_model_registry (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  version     integer NOT NULL CHECK (version > 0),
  -- RESTRICT: a registered model is served from its run's artifacts; deleting the run would leave a
  -- 'prod' entry pointing at nothing. Archive and delete the entry first, then the run.
  run_id      uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE RESTRICT,
  stage       text NOT NULL DEFAULT 'dev' CHECK (stage IN ('dev', 'staging', 'prod', 'archived')),
  -- Named pointers such as 'champion'. An alias names one version per model name; a single
  -- constraint cannot say that about arrays, so the repository moves an alias in one transaction.
  aliases     text[] NOT NULL DEFAULT '{}',
  description text,
  tags        jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, version)
);
CREATE INDEX nf_model_registry_run_id_idx ON nf_model_registry (run_id);
CREATE INDEX nf_model_registry_stage_idx ON nf_model_registry (stage);
CREATE INDEX nf_model_registry_aliases_idx ON nf_model_registry USING gin (aliases);
CREATE TRIGGER nf_model_registry_touch BEFORE UPDATE ON nf_model_registry
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

-- A named, fingerprinted selection of a panel table, so runs can say exactly what they trained on.
CREATE TABLE nf_datasets (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  table_name  text NOT NULL,
  loto        text,
  unique_ids  text[] NOT NULL DEFAULT '{}',
  -- Same hash as nf_model_runs.data_fingerprint, so runs on identical data can be matched.
  fingerprint text,
  row_count   bigint CHECK (row_count >= 0),
  ds_min      date,
  ds_max      date,
  columns     jsonb NOT NULL DEFAULT '[]',
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nf_datasets_table_loto_idx ON nf_datasets (table_name, loto);
CREATE INDEX nf_datasets_fingerprint_idx ON nf_datasets (fingerprint);
CREATE TRIGGER nf_datasets_touch BEFORE UPDATE ON nf_datasets
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

-- A reusable choice of exogenous columns (hist_*, stat_*, futr_*) and how they are derived.
CREATE TABLE nf_feature_sets (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  table_name  text NOT NULL,
  columns     jsonb NOT NULL DEFAULT '[]',
  definition  jsonb NOT NULL DEFAULT '{}',
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER nf_feature_sets_touch BEFORE UPDATE ON nf_feature_sets
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

-- A shareable HTML report about a run, a sweep, or several runs (run_ids, for comparisons: arrays
-- cannot carry foreign keys, so those ids may outlive their runs and readers skip missing ones).
CREATE TABLE nf_reports (
  id         bigserial PRIMARY KEY,
  run_id     uuid REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  sweep_id   uuid REFERENCES nf_sweeps (id) ON DELETE CASCADE,
  run_ids    uuid[] NOT NULL DEFAULT '{}',
  title      text NOT NULL,
  -- Inline HTML for small reports, or the path of the written file; at least one.
  html       text,
  path       text,
  params     jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (html IS NOT NULL OR path IS NOT NULL)
);
CREATE INDEX nf_reports_run_id_idx ON nf_reports (run_id);
CREATE INDEX nf_reports_sweep_id_idx ON nf_reports (sweep_id);
CREATE INDEX nf_reports_created_at_idx ON nf_reports (created_at DESC);

-- One drift statistic of one feature between a reference window and a current window, measured
-- for a run or for a registered model (what is in production matters most).
CREATE TABLE nf_drift_metrics (
  id              bigserial PRIMARY KEY,
  run_id          uuid REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  registry_id     bigint REFERENCES nf_model_registry (id) ON DELETE CASCADE,
  unique_id       text,
  feature         text NOT NULL,
  -- e.g. 'psi', 'ks', 'wasserstein', 'js'.
  metric          text NOT NULL,
  value           double precision NOT NULL,
  p_value         double precision CHECK (p_value >= 0 AND p_value <= 1),
  reference_start date,
  reference_end   date,
  window_start    date,
  window_end      date,
  at              timestamptz NOT NULL DEFAULT now(),
  CHECK (run_id IS NOT NULL OR registry_id IS NOT NULL),
  CHECK (window_end IS NULL OR window_start IS NULL OR window_end >= window_start),
  CHECK (reference_end IS NULL OR reference_start IS NULL OR reference_end >= reference_start)
);
CREATE INDEX nf_drift_metrics_run_id_idx ON nf_drift_metrics (run_id, at);
CREATE INDEX nf_drift_metrics_registry_id_idx ON nf_drift_metrics (registry_id, at);

-- Who did what. No foreign keys on purpose: the log must outlive the things it talks about.
CREATE TABLE nf_audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text,
  details   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX nf_audit_log_entity_idx ON nf_audit_log (entity, entity_id);
CREATE INDEX nf_audit_log_at_idx ON nf_audit_log (at DESC);
