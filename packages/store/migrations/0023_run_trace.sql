-- OpenTelemetry traces (issue 16): the W3C traceparent of the span that queued a run. The worker
-- that claims the run continues that trace from it (its spans and database writes join the
-- request's trace), and its trace id (the second field) finds a run's trace in the tracing backend
-- and a trace's run here. NULL when tracing was off as the run was queued.
ALTER TABLE nf_model_runs ADD COLUMN trace_parent text
  CHECK (trace_parent IS NULL OR trace_parent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
