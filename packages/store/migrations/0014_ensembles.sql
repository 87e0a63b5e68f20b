-- Ensembles: runs whose forecasts combine other finished runs' stored forecasts (operation
-- 'ensemble'). One row per member links the ensemble to it, with the weight its forecast got and
-- its error over the evaluated points all members share, so "which ensembles use this run" and
-- "what did each member weigh" are queries rather than JSON walks.
ALTER TABLE nf_model_runs DROP CONSTRAINT nf_model_runs_operation_check;
ALTER TABLE nf_model_runs ADD CONSTRAINT nf_model_runs_operation_check
  CHECK (operation IN ('train', 'predict', 'refit', 'cv', 'importance', 'ensemble'));

CREATE TABLE nf_ensemble_members (
  -- The ensemble run; its links go with it.
  run_id        uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  -- A member stays while an ensemble built from it is kept.
  member_run_id uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE RESTRICT,
  -- 1-based, in the order the request listed the members.
  position      integer NOT NULL CHECK (position >= 1),
  -- Weight in the forecast beyond the data (sums to 1 over an ensemble); NULL for a median.
  weight        double precision CHECK (weight >= 0 AND weight <= 1),
  -- The member's error (the ensemble's weight metric) on the shared evaluated points; NULL without any.
  error         double precision CHECK (error >= 0),
  PRIMARY KEY (run_id, member_run_id),
  UNIQUE (run_id, position)
);
CREATE INDEX nf_ensemble_members_member_idx ON nf_ensemble_members (member_run_id);
