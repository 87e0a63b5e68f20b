-- Results of analyses (run comparisons, leaderboards, exogenous studies), keyed by their kind and a
-- fingerprint of everything they read — the inputs and the state of each run — so the same analysis
-- is read back instead of recomputed, and a changed run gives a new fingerprint rather than a
-- stale answer.
CREATE TABLE nf_analyses (
  id          bigserial PRIMARY KEY,
  -- e.g. 'compare', 'leaderboard', 'exogenous'; open vocabulary owned by the analysis registry.
  kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
  -- sha256 of the canonical JSON of the inputs and the runs' ids and update times.
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  inputs      jsonb NOT NULL,
  result      jsonb NOT NULL,
  -- The runs it read, to list a run's analyses; no foreign key, as an analysis outlives a run the
  -- way a report does (its fingerprint can never match again once the run is gone).
  run_ids     uuid[] NOT NULL DEFAULT '{}',
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, fingerprint)
);
CREATE INDEX nf_analyses_run_ids_idx ON nf_analyses USING gin (run_ids);
CREATE INDEX nf_analyses_created_at_idx ON nf_analyses (created_at DESC);
