-- TFT's interpretability as data (issue 15): what a fitted model weighed — its variable-selection
-- weights for the static, past (encoder) and future (decoder) inputs, named by column, and its
-- attention over the input window and horizon — averaged over the newest windows of the data it
-- was fitted on, recorded with the run that fitted it so the run page and the exogenous view read
-- it without loading the model. One row per run; `weights` is jsonb because its shape is the
-- model's (groups of different sizes, a steps × steps attention matrix) and it is read whole.
CREATE TABLE nf_model_interpretation (
  run_id     uuid PRIMARY KEY REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  -- The registry id of the model interpreted ('tft').
  model      text NOT NULL,
  -- How many windows the weights are means over.
  windows    integer NOT NULL CHECK (windows >= 1),
  weights    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
