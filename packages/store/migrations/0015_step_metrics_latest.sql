-- `/metrics` reports the latest train and validation loss of each running run on every scrape
-- (readLabMetrics). "Latest" is the newest row, not the highest step: every trial of a search
-- counts its steps from 0. Without an index that walks one run's rows newest first, finding a run's
-- newest row that has a validation loss scans the whole table backwards whenever the run has none
-- yet (a search that just began, or a spec without validation) — every scrape, millions of rows.
CREATE INDEX nf_step_metrics_run_id_idx ON nf_step_metrics (run_id, id);
