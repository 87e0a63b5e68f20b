-- What a run did over time: every training step's losses (runs are verbose) and resource samples.
-- Both are append-only and read as "series of one run", hence (run_id, step|at) indexes.

CREATE TABLE nf_step_metrics (
  id            bigserial PRIMARY KEY,
  run_id        uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  -- Set when the step belongs to one trial of the run's search; null for the final (re)fit.
  trial_id      bigint REFERENCES nf_trials (id) ON DELETE CASCADE,
  step          integer NOT NULL CHECK (step >= 0),
  train_loss    double precision,
  valid_loss    double precision,
  learning_rate double precision,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nf_step_metrics_run_step_idx ON nf_step_metrics (run_id, step);
CREATE INDEX nf_step_metrics_trial_step_idx ON nf_step_metrics (trial_id, step) WHERE trial_id IS NOT NULL;

-- One row per sample of the resource monitor. CPU is in percent of the whole machine (0-100);
-- byte columns are gauges except disk_* and net_*, which count bytes since the run started.
-- GPU columns stay null where no GPU is visible.
CREATE TABLE nf_resource_samples (
  id               bigserial PRIMARY KEY,
  run_id           uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  at               timestamptz NOT NULL DEFAULT now(),
  cpu_process      double precision CHECK (cpu_process >= 0),
  cpu_system       double precision CHECK (cpu_system >= 0),
  rss_bytes        bigint CHECK (rss_bytes >= 0),
  heap_bytes       bigint CHECK (heap_bytes >= 0),
  mem_used_bytes   bigint CHECK (mem_used_bytes >= 0),
  mem_total_bytes  bigint CHECK (mem_total_bytes >= 0),
  disk_read_bytes  bigint CHECK (disk_read_bytes >= 0),
  disk_write_bytes bigint CHECK (disk_write_bytes >= 0),
  net_rx_bytes     bigint CHECK (net_rx_bytes >= 0),
  net_tx_bytes     bigint CHECK (net_tx_bytes >= 0),
  gpu_util         double precision CHECK (gpu_util >= 0),
  vram_used_bytes  bigint CHECK (vram_used_bytes >= 0),
  vram_total_bytes bigint CHECK (vram_total_bytes >= 0)
);
CREATE INDEX nf_resource_samples_run_at_idx ON nf_resource_samples (run_id, at);
