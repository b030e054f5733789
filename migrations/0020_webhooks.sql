-- Webhooks (issue 14): systems that cannot poll register a URL and a filter; every matching alert
-- change is POSTed to it, signed with the hook's secret, retried with backoff through the BullMQ
-- queue `webhooks`, and logged here. The API process dispatches (services/api/src/webhooks/):
-- the detector knows nothing of webhooks, so a dead endpoint can never slow detection.

-- `secret` is the HMAC-SHA256 key of the signature header: the receiver needs it in clear to
-- verify, so it is stored as given (like any shared signing key) and only the dispatcher reads
-- it; the API returns it once, at creation, and never logs it.
-- `filter` is the subset of the alert list's filters a change must match (types, statuses,
-- watchlists, minScore, mmsi), as validated by the route. `from_seq` is the newest alert change
-- when the hook was registered: a hook hears of changes after it, never of history.
-- A hook is never deleted, only disabled (its delivery log stays readable).
CREATE TABLE webhooks (
  id bigserial PRIMARY KEY,
  url text NOT NULL CHECK (url ~* '^https?://' AND length(url) <= 2048),
  secret text NOT NULL,
  filter jsonb NOT NULL DEFAULT '{}',
  description text,
  created_by text NOT NULL,
  from_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE INDEX webhooks_active ON webhooks (id) WHERE disabled_at IS NULL;

-- One row per (hook, alert change): the unique key makes dispatching idempotent, so a change is
-- delivered once per hook however many API processes dispatch it or how often a crashed pass is
-- re-run. `event` is what is sent (the change's kind and the alert as the API lists it at that
-- change), frozen at dispatch so every retry sends the same body. Each attempt updates
-- attempts, last_status_code and last_error (truncated by the writer).
CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  webhook_id bigint NOT NULL REFERENCES webhooks (id),
  alert_id bigint NOT NULL REFERENCES alerts (id),
  change_seq bigint NOT NULL,
  event jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (webhook_id, alert_id, change_seq)
);
-- The delivery log, newest first per hook; and the sweep of pending rows whose job was lost.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id DESC);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (id) WHERE status = 'pending';

-- The dispatcher's place in the alert change feed: every change ≤ last_seq has its deliveries
-- recorded and enqueued. One row. Starts at the newest change when webhooks arrive, so existing
-- alerts are not replayed to the first hook.
CREATE TABLE webhook_dispatch_cursor (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  last_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO webhook_dispatch_cursor (last_seq) SELECT coalesce(max(change_seq), 0) FROM alerts;

-- Row rights for the services' role come from the migrator (packages/db migrator.ts
-- grantServiceRole, after every run), like every other table's (migrations/0016).
