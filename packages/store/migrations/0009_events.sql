-- Live events for the UI: triggers on the tables workers write append to nf_events, so every
-- writer (a worker on another machine included) produces events without knowing about the server.
-- A server streams them over SSE by id; `pg_notify('nflab_events', id)` wakes a listening server
-- at once (PGlite has no cross-process NOTIFY, so servers also poll).
--
-- Ids come from a sequence, so a transaction that commits late can make an id appear after larger
-- ones were already read; readers hold back at such a gap until every transaction that was open
-- when they saw it has ended (see apps/server/src/events/). `tx` lets a trigger find the events of
-- its own transaction to coalesce them.
CREATE TABLE nf_events (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  type     text NOT NULL CHECK (type IN ('run-status', 'sweep-progress', 'step', 'trial', 'resource')),
  -- No foreign keys: an event is a fact about the past and must not block deleting a run.
  run_id   uuid,
  sweep_id uuid,
  payload  jsonb NOT NULL,
  -- The writing transaction's id (pg_current_xact_id as a number).
  tx       bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)
);
CREATE INDEX nf_events_at_idx ON nf_events (at);
CREATE INDEX nf_events_run_id_idx ON nf_events (run_id, id) WHERE run_id IS NOT NULL;
CREATE INDEX nf_events_sweep_id_idx ON nf_events (sweep_id, id) WHERE sweep_id IS NOT NULL;

-- Wakes listeners once per statement; NOTIFY also folds identical payloads within a transaction.
CREATE FUNCTION nflab_notify_events(last_id bigint) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('nflab_events', last_id::text);
$$;

CREATE FUNCTION nflab_event_run_status() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  INSERT INTO nf_events (type, run_id, sweep_id, payload)
  VALUES ('run-status', NEW.id, NEW.sweep_id, jsonb_build_object(
    'run_id', NEW.id, 'sweep_id', NEW.sweep_id, 'status', NEW.status,
    'previous', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, 'error_message', NEW.error_message))
  RETURNING id INTO new_id;
  PERFORM nflab_notify_events(new_id);
  RETURN NULL;
END
$$;
-- Inserted runs are announced by their sweep's counts; a run's own event starts when it changes.
CREATE TRIGGER nf_model_runs_status_event AFTER UPDATE OF status ON nf_model_runs
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION nflab_event_run_status();

CREATE FUNCTION nflab_event_sweep_progress() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  progress jsonb := jsonb_build_object(
    'sweep_id', NEW.id, 'status', NEW.status, 'planned_runs', NEW.planned_runs,
    'runs_queued', NEW.runs_queued, 'runs_running', NEW.runs_running, 'runs_finished', NEW.runs_finished,
    'runs_failed', NEW.runs_failed, 'runs_cancelled', NEW.runs_cancelled);
  event_id bigint;
BEGIN
  -- Inserting a sweep's 10,000 runs updates its counts 10,000 times in one transaction; no reader
  -- can see this transaction's events before it commits, so it keeps one event with the final
  -- counts instead of 10,000.
  UPDATE nf_events SET payload = progress, at = clock_timestamp()
   WHERE id = (SELECT max(id) FROM nf_events
                WHERE sweep_id = NEW.id AND type = 'sweep-progress'
                  AND tx = pg_current_xact_id()::text::bigint)
  RETURNING id INTO event_id;
  IF event_id IS NULL THEN
    INSERT INTO nf_events (type, sweep_id, payload) VALUES ('sweep-progress', NEW.id, progress)
    RETURNING id INTO event_id;
  END IF;
  PERFORM nflab_notify_events(event_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER nf_sweeps_progress_event AFTER INSERT OR UPDATE ON nf_sweeps
  FOR EACH ROW EXECUTE FUNCTION nflab_event_sweep_progress();

CREATE FUNCTION nflab_event_trial() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  INSERT INTO nf_events (type, run_id, sweep_id, payload)
  VALUES ('trial', NEW.run_id, (SELECT sweep_id FROM nf_model_runs WHERE id = NEW.run_id), jsonb_build_object(
    'id', NEW.id, 'run_id', NEW.run_id, 'number', NEW.number, 'state', NEW.state, 'value', NEW.value))
  RETURNING id INTO new_id;
  PERFORM nflab_notify_events(new_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER nf_trials_insert_event AFTER INSERT ON nf_trials
  FOR EACH ROW EXECUTE FUNCTION nflab_event_trial();
-- Heartbeats update trials constantly; only a new state or value is news.
CREATE TRIGGER nf_trials_update_event AFTER UPDATE OF state, value ON nf_trials
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.value IS DISTINCT FROM NEW.value)
  EXECUTE FUNCTION nflab_event_trial();

-- Steps and samples arrive in batches: statement-level triggers with a transition table write a
-- batch's events in one INSERT … SELECT (one event per row, since the UI plots every step) and
-- notify once per batch instead of once per row.
CREATE FUNCTION nflab_event_steps() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_id bigint;
BEGIN
  WITH inserted AS (
    INSERT INTO nf_events (type, run_id, sweep_id, payload)
    SELECT 'step', s.run_id, r.sweep_id, jsonb_build_object(
             'id', s.id, 'run_id', s.run_id, 'trial_id', s.trial_id, 'step', s.step,
             'train_loss', s.train_loss, 'valid_loss', s.valid_loss, 'at', s.at)
      FROM new_steps s LEFT JOIN nf_model_runs r ON r.id = s.run_id
     ORDER BY s.id
    RETURNING id)
  SELECT max(id) INTO last_id FROM inserted;
  IF last_id IS NOT NULL THEN PERFORM nflab_notify_events(last_id); END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER nf_step_metrics_event AFTER INSERT ON nf_step_metrics
  REFERENCING NEW TABLE AS new_steps FOR EACH STATEMENT EXECUTE FUNCTION nflab_event_steps();

CREATE FUNCTION nflab_event_resources() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_id bigint;
BEGIN
  WITH inserted AS (
    INSERT INTO nf_events (type, run_id, sweep_id, payload)
    SELECT 'resource', s.run_id, r.sweep_id, to_jsonb(s)
      FROM new_samples s LEFT JOIN nf_model_runs r ON r.id = s.run_id
     ORDER BY s.id
    RETURNING id)
  SELECT max(id) INTO last_id FROM inserted;
  IF last_id IS NOT NULL THEN PERFORM nflab_notify_events(last_id); END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER nf_resource_samples_event AFTER INSERT ON nf_resource_samples
  REFERENCING NEW TABLE AS new_samples FOR EACH STATEMENT EXECUTE FUNCTION nflab_event_resources();

-- The run history sorts and filters 100,000+ runs; these serve its default page (newest first,
-- optionally of one status) without a sort step.
CREATE INDEX nf_model_runs_status_created_at_idx ON nf_model_runs (status, created_at DESC);
-- Sorting by the default metric (mae from cross-validation, else the validation loss), best first.
-- apps/server/src/runs/list-runs.ts writes this exact expression for metric=mae so it matches.
CREATE INDEX nf_model_runs_mae_idx ON nf_model_runs ((coalesce(
  CASE WHEN jsonb_typeof(metrics->'cv'->'overall'->'mae') = 'number'
       THEN (metrics->'cv'->'overall'->'mae')::text::double precision END,
  CASE WHEN jsonb_typeof(metrics->'valid_loss') = 'number'
       THEN (metrics->'valid_loss')::text::double precision END)));
