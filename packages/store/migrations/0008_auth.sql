-- Local accounts for the API server: users with hashed passwords and a role, browser sessions and
-- API tokens. Secrets are never stored: sessions and tokens are kept as the SHA-256 of a random
-- token (a database dump does not let anyone sign in), passwords as scrypt hashes.

CREATE TABLE nf_users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  -- 'scrypt$N$r$p$<salt base64>$<hash base64>': the parameters travel with the hash, so they can
  -- be raised later without invalidating existing passwords.
  password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  -- viewer reads, editor also starts/cancels runs, admin also manages users.
  role          text NOT NULL DEFAULT 'viewer' CHECK (role IN ('viewer', 'editor', 'admin')),
  -- A disabled user keeps its history (audit log, tokens) but cannot sign in or use a token.
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER nf_users_touch BEFORE UPDATE ON nf_users
  FOR EACH ROW EXECUTE FUNCTION nflab_touch_updated_at();

CREATE TABLE nf_sessions (
  -- SHA-256 (hex) of the random token in the browser's cookie.
  id           text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  user_id      uuid NOT NULL REFERENCES nf_users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip           text,
  user_agent   text,
  CHECK (expires_at > created_at)
);
CREATE INDEX nf_sessions_user_id_idx ON nf_sessions (user_id);
-- The expiry sweep deletes by this.
CREATE INDEX nf_sessions_expires_at_idx ON nf_sessions (expires_at);

CREATE TABLE nf_api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES nf_users (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- SHA-256 (hex) of the token; the token itself is shown once when created.
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  -- NULL = does not expire.
  expires_at   timestamptz,
  -- Revoked tokens are kept (not deleted) so the list shows what existed and when it was last used.
  revoked      boolean NOT NULL DEFAULT false
);
CREATE INDEX nf_api_tokens_user_id_idx ON nf_api_tokens (user_id);
