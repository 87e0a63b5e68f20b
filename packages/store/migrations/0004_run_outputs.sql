-- What a run produced: forecasts, cross-validation results, files, residual anomalies. All long
-- form (one value per row) so any number of models, quantiles and series fit one schema; all
-- children of a run, deleted with it.

-- A point in time is a calendar day (ds) for dated series or an integer position (step) for series
-- indexed by number; exactly one is set.
CREATE TABLE nf_predictions (
  id        bigserial PRIMARY KEY,
  run_id    uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  -- 'forecast': beyond the data; 'insample': fitted values over the training data.
  kind      text NOT NULL DEFAULT 'forecast' CHECK (kind IN ('forecast', 'insample')),
  unique_id text NOT NULL,
  ds        date,
  step      integer,
  model     text NOT NULL,
  -- NeuralForecast's output column is model || suffix: '' for the point forecast, '-median',
  -- '-lo-90', '-hi-90' for quantiles/intervals.
  suffix    text NOT NULL DEFAULT '',
  value     double precision NOT NULL,
  CHECK ((ds IS NULL) <> (step IS NULL))
);
CREATE INDEX nf_predictions_run_series_idx ON nf_predictions (run_id, kind, unique_id, ds, step);

CREATE TABLE nf_cv_results (
  id          bigserial PRIMARY KEY,
  run_id      uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  unique_id   text NOT NULL,
  ds          date,
  step        integer,
  -- Last time point the window was trained on (same kind of time point as ds/step).
  cutoff      date,
  cutoff_step integer,
  -- The actual value, repeated on each model/suffix row so a row is self-contained for metrics.
  y           double precision,
  model       text NOT NULL,
  suffix      text NOT NULL DEFAULT '',
  value       double precision NOT NULL,
  CHECK ((ds IS NULL) <> (step IS NULL)),
  CHECK ((cutoff IS NULL) <> (cutoff_step IS NULL)),
  CHECK ((ds IS NULL) = (cutoff IS NULL))
);
CREATE INDEX nf_cv_results_run_series_idx ON nf_cv_results (run_id, unique_id, cutoff, cutoff_step);

-- Files a run wrote (saved model, plots, logs). Rows go with the run; the files themselves are
-- removed by whoever deletes the run, since the database cannot reach the file system.
CREATE TABLE nf_artifacts (
  id         bigserial PRIMARY KEY,
  run_id     uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  path       text NOT NULL,
  -- e.g. 'model', 'plot', 'log', 'report'; open vocabulary owned by the writers.
  kind       text NOT NULL,
  sha256     text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes      bigint CHECK (bytes >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, path)
);

CREATE TABLE nf_residual_anomalies (
  id         bigserial PRIMARY KEY,
  run_id     uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  unique_id  text NOT NULL,
  ds         date NOT NULL,
  model      text,
  residual   double precision NOT NULL,
  score      double precision NOT NULL,
  -- The detector, e.g. 'zscore', 'iqr', 'mad'.
  method     text NOT NULL,
  threshold  double precision,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nf_residual_anomalies_run_series_idx ON nf_residual_anomalies (run_id, unique_id, ds);
