-- Exports of finished runs to external trackers (issue 17: W&B, the user's MLflow server). An
-- outbox: the row appears in the same transaction that ends the run, so a crash between "run
-- finished" and "export queued" cannot lose an export, and a tracker that is down costs a retry
-- later, never the run. Whoever exports (the server's loop, a worker after its run, `nflab run`)
-- claims a due row by moving next_attempt_at forward in one UPDATE, as monitors are claimed.
CREATE TABLE nf_run_exports (
  id              bigserial PRIMARY KEY,
  run_id          uuid NOT NULL REFERENCES nf_model_runs (id) ON DELETE CASCADE,
  sink            text NOT NULL CHECK (sink IN ('mlflow', 'wandb')),
  -- The sink's options from the run spec (project, entity, tracking_uri, ...).
  options         jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'exported', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  -- Where the run now lives in the tracker: its id there and a link for people.
  external_id     text,
  external_url    text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  exported_at     timestamptz,
  UNIQUE (run_id, sink)
);
-- The exporters' claim reads pending rows by due time.
CREATE INDEX nf_run_exports_due_idx ON nf_run_exports (next_attempt_at) WHERE status = 'pending';

-- One export row per external sink of the run's spec (`tracking`: ids or { sink, ...options }),
-- written when the run first reaches a terminal status. A run cancelled before it started has
-- nothing to show a tracker and exports nothing.
CREATE FUNCTION nf_model_runs_queue_exports() RETURNS trigger AS $$
BEGIN
  INSERT INTO nf_run_exports (run_id, sink, options)
  SELECT NEW.id, entry.sink, entry.options
  FROM (
    SELECT CASE jsonb_typeof(item) WHEN 'string' THEN item #>> '{}' ELSE item ->> 'sink' END AS sink,
           CASE jsonb_typeof(item) WHEN 'object' THEN item - 'sink' ELSE '{}'::jsonb END AS options
    FROM jsonb_array_elements(CASE jsonb_typeof(NEW.spec -> 'tracking')
                                WHEN 'array' THEN NEW.spec -> 'tracking' ELSE '[]'::jsonb END) AS item
  ) AS entry
  WHERE entry.sink IN ('mlflow', 'wandb')
  ON CONFLICT (run_id, sink) DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER nf_model_runs_queue_exports AFTER UPDATE OF status ON nf_model_runs
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
        AND (NEW.status IN ('finished', 'failed') OR (NEW.status = 'cancelled' AND NEW.start_time IS NOT NULL)))
  EXECUTE FUNCTION nf_model_runs_queue_exports();
