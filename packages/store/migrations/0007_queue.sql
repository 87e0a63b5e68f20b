-- The run queue lives in nf_model_runs itself: workers claim `queued` rows with
-- FOR UPDATE SKIP LOCKED (the same SQL on PGlite and on a server), so a sweep spreads over any
-- number of worker processes with no other service. These columns let a run be retried, delayed,
-- cancelled while it runs, resumed after a crash without running twice, and tell what it does.
ALTER TABLE nf_model_runs
  -- SHA-256 of the run spec's canonical JSON (the planner's fingerprint): a sweep holds each run
  -- once, so resuming a sweep inserts only the runs it is missing.
  ADD COLUMN spec_fingerprint text,
  -- What the run does: fit its spec (`train`) or a model operation on its parent run's saved model.
  ADD COLUMN operation text NOT NULL DEFAULT 'train'
             CHECK (operation IN ('train', 'predict', 'refit', 'cv')),
  -- The operation's own settings (e.g. cv's n_windows), without `kind` (that is `operation`).
  ADD COLUMN operation_options jsonb NOT NULL DEFAULT '{}',
  -- Attempts a run may take before a failure is final; 1 = no retry.
  ADD COLUMN max_attempts integer NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
  -- Base delay before a retry; attempt n waits retry_delay_seconds * 2^(n-1) (exponential backoff).
  ADD COLUMN retry_delay_seconds double precision NOT NULL DEFAULT 0 CHECK (retry_delay_seconds >= 0),
  -- A queued run is not claimed before this instant (retry backoff); NULL = at once.
  ADD COLUMN not_before timestamptz,
  -- Set when a user cancels a running run; its worker sees it on the next heartbeat and stops.
  ADD COLUMN cancel_requested_at timestamptz,
  -- Insertion order: runs inserted by one statement share created_at (now() is per transaction),
  -- and a sweep's runs should start in the order the plan listed them.
  ADD COLUMN queue_order bigint GENERATED ALWAYS AS IDENTITY;

-- Partial: only a sweep's runs must be unique by spec; single runs may repeat a spec on purpose.
CREATE UNIQUE INDEX nf_model_runs_sweep_fingerprint_key ON nf_model_runs (sweep_id, spec_fingerprint)
  WHERE sweep_id IS NOT NULL;

-- The claim scans: next run of anyone, and next run of one sweep (`nflab worker --sweep`).
DROP INDEX nf_model_runs_queue_idx;
CREATE INDEX nf_model_runs_queue_idx ON nf_model_runs (priority DESC, queue_order) WHERE status = 'queued';
CREATE INDEX nf_model_runs_sweep_queue_idx ON nf_model_runs (sweep_id, priority DESC, queue_order)
  WHERE status = 'queued';
