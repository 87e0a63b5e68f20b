-- Studies, so @nflab/tune's StudyStorage (createStudy / claim / popWaitingTrial …) can live in
-- PostgreSQL and several workers share one study. A study belongs to at most one run (the run's
-- hyperparameter search) but can exist without one (tune used on its own), so trials now hang off
-- a study and take their run from it.

CREATE TABLE nf_studies (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  -- UNIQUE: one search per run, so a trial number is unique within the run as within the study.
  run_id     uuid UNIQUE REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  direction  text NOT NULL CHECK (direction IN ('minimize', 'maximize')),
  -- The search space trials are asked in, when the study was created with one.
  space      jsonb,
  user_attrs jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE nf_trials ADD COLUMN study_id bigint REFERENCES nf_studies (id) ON DELETE CASCADE;
ALTER TABLE nf_trials ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE nf_trials ADD CONSTRAINT nf_trials_owner_check CHECK (run_id IS NOT NULL OR study_id IS NOT NULL);
-- Trial numbers are handed out per study (0, 1, 2 …), atomically by the storage.
ALTER TABLE nf_trials ADD CONSTRAINT nf_trials_study_id_number_key UNIQUE (study_id, number);
-- A stopped study's trials are marked cancelled rather than failed by their objective.
ALTER TABLE nf_trials ADD COLUMN cancelled boolean NOT NULL DEFAULT false;
-- popWaitingTrial / listTrials by state scan this.
CREATE INDEX nf_trials_study_state_idx ON nf_trials (study_id, state, number);

-- A trial written with only its study still shows up under the study's run (and dies with it).
CREATE FUNCTION nflab_trial_run_from_study() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.run_id IS NULL THEN
    IF NEW.study_id IS NOT NULL THEN
      SELECT run_id INTO NEW.run_id FROM nf_studies WHERE id = NEW.study_id;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER nf_trials_run_from_study BEFORE INSERT ON nf_trials
  FOR EACH ROW EXECUTE FUNCTION nflab_trial_run_from_study();

-- Points of a grid (or any key) claimed by the first trial that takes them, so parallel workers
-- never evaluate one twice: the primary key makes the second INSERT a no-op.
CREATE TABLE nf_study_claims (
  study_id   bigint NOT NULL REFERENCES nf_studies (id) ON DELETE CASCADE,
  key        text NOT NULL,
  trial_id   bigint NOT NULL REFERENCES nf_trials (id) ON DELETE CASCADE,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, key)
);
