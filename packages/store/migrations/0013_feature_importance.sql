-- Exogenous-column importance of a saved model, computed by an `importance` run (a model operation
-- on a finished run: the parent is that run's parent_run_id). One row per column, for all series
-- (unique_id NULL) and per series, ranked, so "which columns does this model use" is a query
-- rather than a JSON walk; what a method adds (each repeat, each window's values) goes in details.
ALTER TABLE nf_model_runs DROP CONSTRAINT nf_model_runs_operation_check;
ALTER TABLE nf_model_runs ADD CONSTRAINT nf_model_runs_operation_check
  CHECK (operation IN ('train', 'predict', 'refit', 'cv', 'importance'));

CREATE TABLE nf_feature_importance (
  id          bigserial PRIMARY KEY,
  -- The importance run itself; its rows go with it.
  run_id      uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  method      text NOT NULL CHECK (method IN ('permutation', 'kernel_shap', 'integrated_gradients')),
  -- The exogenous column (futr_*, hist_*, stat_* the model was trained with).
  feature     text NOT NULL,
  -- NULL: over the windows of every series; otherwise over that series' windows only.
  unique_id   text,
  -- permutation: mean MAE increase; kernel_shap / integrated_gradients: mean |value| over windows.
  importance  double precision NOT NULL,
  std         double precision CHECK (std >= 0),
  ci_low      double precision,
  ci_high     double precision,
  -- 1 = most important among the columns of the same run and unique_id.
  rank        integer NOT NULL CHECK (rank >= 1),
  details     jsonb NOT NULL DEFAULT '{}',
  -- NULLS NOT DISTINCT: the all-series row of a column is one row too (PostgreSQL 15+).
  UNIQUE NULLS NOT DISTINCT (run_id, unique_id, feature)
);
