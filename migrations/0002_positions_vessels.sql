-- Positions, vessels and identity history (issue 3).

-- One row per vessel position. Partitioned by day on ts: the detector reads whole time windows
-- (partition pruning + BRIN on ts), the API reads one vessel's track over a time range (the
-- primary key (mmsi, ts) btree). No GiST index: nobody queries positions by area, and each index
-- costs COPY throughput (~1 M rows/s without indexes vs ~100 k/s with GiST + btree, measured).
-- One position per vessel per timestamp: re-ingesting the same feed adds nothing.
CREATE TABLE positions (
  mmsi integer NOT NULL,
  ts timestamptz NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  sog real,
  cog real,
  heading smallint,
  nav_status smallint,
  msg_type smallint NOT NULL,
  source text,
  PRIMARY KEY (mmsi, ts)
) PARTITION BY RANGE (ts);

-- Partitions are created ahead by ingest (rendezvous_ensure_position_partition); a default
-- partition would make that DDL rewrite-check it, so there is none: ingest creates before it writes.
CREATE FUNCTION rendezvous_ensure_position_partition(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  name text := format('positions_%s', to_char(day, 'YYYYMMDD'));
BEGIN
  IF to_regclass(name) IS NULL THEN
    -- Serialise concurrent creators of the same day (several ingest processes).
    PERFORM pg_advisory_xact_lock(hashtext(name));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
        name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
      EXECUTE format('CREATE INDEX %I ON %I USING brin (ts)', name || '_ts_brin', name);
    END IF;
  END IF;
  RETURN name;
END $$;

-- Current identity per MMSI. flag is derived from the MMSI's MID (ITU-R M.585);
-- mmsi_invalid marks an MMSI that fails those rules: stored and flagged, never dropped.
CREATE TABLE vessels (
  mmsi integer PRIMARY KEY,
  imo integer,
  name text,
  callsign text,
  ship_type smallint,
  length real,
  width real,
  draught real,
  destination text,
  flag text,
  mmsi_invalid boolean NOT NULL DEFAULT false,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  identity_at timestamptz
);
CREATE INDEX vessels_imo ON vessels (imo) WHERE imo IS NOT NULL;
CREATE INDEX vessels_name ON vessels (name) WHERE name IS NOT NULL;

-- Every value each identity field has taken for an MMSI, with when it was first seen: a rename,
-- a new call sign, IMO or ship type adds a row; ordering by first_seen gives the sequence of
-- changes. Upserts keep the earliest time, so the table converges whatever order (live, late,
-- backfill) reports arrive in, and a value seen again costs no write. No foreign key to vessels:
-- ingest writes both in one transaction, and a per-row FK check tripled this table's write cost.
CREATE TABLE vessel_identity_history (
  mmsi integer NOT NULL,
  field text NOT NULL CHECK (field IN ('name', 'callsign', 'imo', 'ship_type', 'flag')),
  value text NOT NULL,
  first_seen timestamptz NOT NULL,
  PRIMARY KEY (mmsi, field, value)
);
-- "Which MMSIs has this IMO (or name) been seen under?" (identity anomalies).
CREATE INDEX vessel_identity_history_value ON vessel_identity_history (field, value);
