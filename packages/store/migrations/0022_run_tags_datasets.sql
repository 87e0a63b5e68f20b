-- Details users asked to have recorded with each run:
-- 1. Tags (experiment type, phase, note …) on any run, in one store the lab's API and MLflow's
--    set-tag/delete-tag both write: nf_mlflow_tags becomes nf_run_tags and may name any run, not
--    only the external runs MLflow clients create. A run spec's `tags` become rows when the run is
--    inserted (trigger below), so every path that queues runs records them.
-- 2. The exact data version a run used: a dataset row (table, game, series, date range, row count,
--    data fingerprint) and a feature-set row (the exogenous column lists by role), each written once
--    per fingerprint and referenced by the run.

ALTER TABLE nf_mlflow_tags RENAME TO nf_run_tags;
ALTER TABLE nf_run_tags RENAME CONSTRAINT nf_mlflow_tags_pkey TO nf_run_tags_pkey;
ALTER TABLE nf_run_tags RENAME CONSTRAINT nf_mlflow_tags_run_id_key_key TO nf_run_tags_run_id_key_key;
ALTER TABLE nf_run_tags DROP CONSTRAINT nf_mlflow_tags_run_id_fkey;
ALTER TABLE nf_run_tags ADD CONSTRAINT nf_run_tags_run_id_fkey
  FOREIGN KEY (run_id) REFERENCES nf_model_runs (id) ON DELETE CASCADE;
ALTER SEQUENCE nf_mlflow_tags_id_seq RENAME TO nf_run_tags_id_seq;

CREATE FUNCTION nflab_run_spec_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF jsonb_typeof(NEW.spec -> 'tags') = 'object' THEN
    INSERT INTO nf_run_tags (run_id, key, value)
    SELECT NEW.id, t.key, t.value FROM jsonb_each_text(NEW.spec -> 'tags') AS t (key, value)
     WHERE t.value IS NOT NULL
     ORDER BY t.key;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER nf_model_runs_spec_tags AFTER INSERT ON nf_model_runs
  FOR EACH ROW EXECUTE FUNCTION nflab_run_spec_tags();

-- The runner writes one dataset per (table, game, data fingerprint): the fingerprint hashes the
-- values (series, ds, y, exogenous), not where they were read from. `columns` lists the columns read.
DROP INDEX nf_datasets_fingerprint_idx;
CREATE UNIQUE INDEX nf_datasets_version_key ON nf_datasets (table_name, loto, fingerprint);

-- `columns` holds { hist, stat, futr }; `fingerprint` hashes them (one row per table and choice).
ALTER TABLE nf_feature_sets ADD COLUMN fingerprint text;
CREATE UNIQUE INDEX nf_feature_sets_version_key ON nf_feature_sets (table_name, fingerprint);

-- SET NULL: catalog rows are shared by many runs; deleting one unlinks them rather than the runs.
ALTER TABLE nf_model_runs
  ADD COLUMN dataset_id bigint REFERENCES nf_datasets (id) ON DELETE SET NULL,
  ADD COLUMN feature_set_id bigint REFERENCES nf_feature_sets (id) ON DELETE SET NULL;
CREATE INDEX nf_model_runs_dataset_id_idx ON nf_model_runs (dataset_id);
CREATE INDEX nf_model_runs_feature_set_id_idx ON nf_model_runs (feature_set_id);
