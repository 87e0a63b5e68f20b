-- MLflow's runs/log-inputs: the datasets an MLflow client says its run read (name, digest, source,
-- schema, profile) and the input's tags (mlflow.data.context …), listed in the run's `inputs`. A
-- lab run's own data version is its nf_datasets row, which MLflow clients see as its dataset input.
CREATE TABLE nf_mlflow_run_inputs (
  id          bigserial PRIMARY KEY,
  run_id      uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  name        text NOT NULL,
  digest      text NOT NULL,
  source_type text NOT NULL,
  source      text NOT NULL,
  schema      text,
  profile     text,
  tags        jsonb NOT NULL DEFAULT '[]',
  UNIQUE (run_id, name, digest)
);
