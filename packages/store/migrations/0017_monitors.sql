-- Scheduled monitors (issue 16): "check table T of game G on this cron schedule, the last M draws
-- against the N draws before them, with these thresholds". Windows are counted in draws at check
-- time, not fixed dates, so a monitor keeps watching the newest data without being edited. The
-- servers sharing this database elect who runs a due monitor by moving its next_run_at forward in
-- one UPDATE; a row, not a timer per process, is the schedule.
CREATE TABLE nf_monitors (
  id              bigserial PRIMARY KEY,
  name            text NOT NULL UNIQUE,
  table_name      text NOT NULL,
  loto            text NOT NULL,
  -- NULL: every series of the game / the check's default columns (y, hist_*, futr_*).
  unique_ids      text[],
  columns         text[],
  current_draws   integer NOT NULL CHECK (current_draws >= 2),
  reference_draws integer NOT NULL CHECK (reference_draws >= 2),
  p_value         double precision NOT NULL DEFAULT 0.01 CHECK (p_value > 0 AND p_value < 1),
  psi             double precision CHECK (psi > 0),
  p_adjust        text NOT NULL DEFAULT 'holm' CHECK (p_adjust IN ('holm', 'bonferroni', 'bh', 'by')),
  cron            text NOT NULL,
  -- The run whose model a drift refits; a deleted run stops the retraining, not the monitor.
  retrain_run_id  uuid REFERENCES nf_model_runs (id) ON DELETE SET NULL,
  webhook_url     text,
  enabled         boolean NOT NULL DEFAULT true,
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_run_at     timestamptz,
  next_run_at     timestamptz
);
-- The scheduler's claim reads due, enabled monitors by time.
CREATE INDEX nf_monitors_due_idx ON nf_monitors (next_run_at) WHERE enabled;

-- Each execution of a monitor: its outcome, the drift check it stored and the refit it queued.
CREATE TABLE nf_monitor_runs (
  id           bigserial PRIMARY KEY,
  monitor_id   bigint NOT NULL REFERENCES nf_monitors (id) ON DELETE CASCADE,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  status       text NOT NULL CHECK (status IN ('running', 'ok', 'alert', 'error')),
  check_id     uuid,
  drifted      jsonb NOT NULL DEFAULT '[]',
  error        text,
  refit_run_id uuid REFERENCES nf_model_runs (id) ON DELETE SET NULL
);
CREATE INDEX nf_monitor_runs_monitor_idx ON nf_monitor_runs (monitor_id, id DESC);

-- A crossed threshold is a live event like a run's status, so the UI's stream shows it.
ALTER TABLE nf_events DROP CONSTRAINT nf_events_type_check;
ALTER TABLE nf_events ADD CONSTRAINT nf_events_type_check
  CHECK (type IN ('run-status', 'sweep-progress', 'step', 'trial', 'resource', 'monitor-alert'));
