-- Port calls (issue 15): each stay of a vessel inside a port's radius, slow for hours
-- (packages/detection port-calls.ts), with the port it called at and its reported draught on
-- arrival and departure. Written by the detector's port-call stage, one window at a time: the
-- window holding a call's arrival owns it, upserts it by `key`
-- (port_call:<mmsi>[:<segment>]:<port id>:<arrival ISO>) and deletes the calls it owns and no
-- longer finds, so re-running a window or reprocessing a range is idempotent.
-- `departure` null: the vessel was still in port at the end of the data (the next run may close it).
-- The port's name, country and position are copied from PORTS_FILE at detection time, so a call
-- stays readable if the list changes (a reprocess rewrites it against the new list).
CREATE TABLE port_calls (
  key text PRIMARY KEY,
  mmsi integer NOT NULL,
  segment text,
  port_id text NOT NULL,
  port_name text,
  country text,
  lon double precision NOT NULL,
  lat double precision NOT NULL,
  arrival timestamptz NOT NULL,
  departure timestamptz CHECK (departure IS NULL OR departure >= arrival),
  draught_arrival real,
  draught_departure real,
  reasons text[] NOT NULL DEFAULT '{}',
  detector_version text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- A vessel's calls in time order (the API), and a window's own calls (the reconcile).
CREATE INDEX port_calls_mmsi_arrival ON port_calls (mmsi, arrival);
CREATE INDEX port_calls_arrival ON port_calls (arrival);

-- Row rights for the services' role come from the migrator (packages/db migrator.ts
-- grantServiceRole, after every run), like every other table's (migrations/0016).
