-- API bearer tokens (issued by `npm run cli -- token create`). The secret itself is never stored:
-- only its SHA-256 (a leaked table cannot be replayed) and a short prefix of it, which is not
-- enough to guess the rest but lets an operator tell tokens apart and lets the API find the row
-- without an index lookup on the secret-derived hash.
CREATE TABLE api_tokens (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Ordered viewer < analyst < admin; the order lives in the API (services/api/src/auth/roles.ts).
  role text NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
  token_prefix text NOT NULL,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Written at most once a minute per token, so polling dashboards do not turn reads into writes.
  last_used_at timestamptz,
  -- Revocation keeps the row: who had access, and until when, stays answerable.
  revoked_at timestamptz
);
CREATE INDEX api_tokens_prefix ON api_tokens (token_prefix);
