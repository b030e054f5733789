-- Watchlists, their versioned snapshots, and analysts' suspects (issue 4).

-- A named list (e.g. "ofac-sdn", "eu-annex-xlii", "gur", "team-suspects-csv").
CREATE TABLE watchlists (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  format text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per imported snapshot. The same file (same SHA-256) imported again is not a new version.
CREATE TABLE watchlist_versions (
  id serial PRIMARY KEY,
  watchlist_id integer NOT NULL REFERENCES watchlists (id),
  version integer NOT NULL,
  sha256 text NOT NULL,
  file_name text,
  format text NOT NULL,
  encoding text,
  imported_at timestamptz NOT NULL DEFAULT now(),
  imported_by text NOT NULL,
  entries integer NOT NULL,
  added integer NOT NULL,
  removed integer NOT NULL,
  changed integer NOT NULL,
  skipped integer NOT NULL DEFAULT 0,
  invalid_imos integer NOT NULL DEFAULT 0,
  UNIQUE (watchlist_id, version),
  UNIQUE (watchlist_id, sha256)
);

-- Each listed vessel as one version range: present from `added_version` until `removed_version`
-- (exclusive; NULL = still listed). A changed entry closes its old row and opens a new one, so
-- every past state of a list stays queryable.
CREATE TABLE watchlist_entries (
  id bigserial PRIMARY KEY,
  watchlist_id integer NOT NULL REFERENCES watchlists (id),
  entry_key text NOT NULL,
  name text,
  name_key text,            -- normalised name for matching (see packages/watchlists normalizeVesselName)
  aliases text[] NOT NULL DEFAULT '{}',
  imo integer,              -- only when the check digit passes
  imo_raw text,
  imo_valid boolean,
  mmsi integer,
  mmsi_legacy integer[] NOT NULL DEFAULT '{}',
  callsign text,
  flag text,
  vessel_type text,
  program text,
  subject text NOT NULL DEFAULT 'vessel',
  listed_at date,           -- designation date where the source gives it
  location text,            -- line or element in the imported file
  content_hash text NOT NULL,
  added_version integer NOT NULL,
  added_at timestamptz NOT NULL,
  removed_version integer,
  removed_at timestamptz
);
CREATE UNIQUE INDEX watchlist_entries_current ON watchlist_entries (watchlist_id, entry_key) WHERE removed_version IS NULL;
CREATE INDEX watchlist_entries_imo ON watchlist_entries (imo) WHERE imo IS NOT NULL;
CREATE INDEX watchlist_entries_mmsi ON watchlist_entries (mmsi) WHERE mmsi IS NOT NULL;

-- Vessels analysts suspect, by IMO or MMSI; removal keeps the row (removed_at), and every change
-- is in suspect_audit.
CREATE TABLE suspects (
  id bigserial PRIMARY KEY,
  imo integer,
  mmsi integer,
  reason text NOT NULL,
  added_by text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_by text,
  removed_at timestamptz,
  removal_reason text,
  CHECK (imo IS NOT NULL OR mmsi IS NOT NULL)
);
CREATE INDEX suspects_active_imo ON suspects (imo) WHERE removed_at IS NULL;
CREATE INDEX suspects_active_mmsi ON suspects (mmsi) WHERE removed_at IS NULL;

CREATE TABLE suspect_audit (
  id bigserial PRIMARY KEY,
  suspect_id bigint NOT NULL REFERENCES suspects (id),
  action text NOT NULL CHECK (action IN ('added', 'removed', 'updated')),
  actor text NOT NULL,
  reason text,
  at timestamptz NOT NULL DEFAULT now(),
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX suspect_audit_suspect ON suspect_audit (suspect_id, at);
