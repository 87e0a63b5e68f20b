-- Drift of a data table (issue 16): a scheduled monitor checks an nf_loto_* table's columns between a
-- reference and a current window, with no run or registered model involved. A drift row may now
-- name a table (and its game) instead; the rows one check writes share check_id, and each records
-- the threshold it was judged against and whether it drifted, so "did it drift last time?" is a
-- read, not a recomputation. details holds what a statistic needs to be read (n, dof, adjusted p).
ALTER TABLE nf_drift_metrics
  ADD COLUMN table_name text,
  ADD COLUMN loto       text,
  ADD COLUMN check_id   uuid,
  ADD COLUMN threshold  double precision,
  ADD COLUMN drifted    boolean,
  ADD COLUMN details    jsonb NOT NULL DEFAULT '{}';

-- Was: run_id or registry_id. The unnamed CHECK got PostgreSQL's generated name, the same on
-- PGlite and a server.
ALTER TABLE nf_drift_metrics DROP CONSTRAINT nf_drift_metrics_check;
ALTER TABLE nf_drift_metrics ADD CONSTRAINT nf_drift_metrics_subject_check
  CHECK (run_id IS NOT NULL OR registry_id IS NOT NULL OR table_name IS NOT NULL);

-- The latest check of a table (and game) is found without a scan.
CREATE INDEX nf_drift_metrics_table_idx ON nf_drift_metrics (table_name, loto, at DESC, id DESC)
  WHERE table_name IS NOT NULL;
