-- The audit log gains what a security review asks of each entry: where the request came from and
-- how it ended (a failed sign-in is as much an event as a successful one). Filtering by actor or
-- action, newest first, is how admins read it.
ALTER TABLE nf_audit_log
  ADD COLUMN client_address text,
  ADD COLUMN outcome text NOT NULL DEFAULT 'success'
    CHECK (outcome IN ('success', 'failure', 'denied'));
CREATE INDEX nf_audit_log_actor_at_idx ON nf_audit_log (actor, at DESC);
CREATE INDEX nf_audit_log_action_at_idx ON nf_audit_log (action, at DESC);
