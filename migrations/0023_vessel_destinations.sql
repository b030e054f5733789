-- Destination history (issue 15, voyages): every change of a vessel's declared AIS type 5
-- destination, so a leg's declared destination can be compared with the port it reached
-- (packages/detection voyages.ts: the last value declared at or before the arrival).
-- `vessels.destination` keeps only the latest value.
--
-- The same semantics as vessel_draughts (migrations/0018_draught_history.sql):
-- one row per change point: (mmsi, ts) is the time of the first type 5 report of a new value.
-- The destination is stored as ingest cleans it for `vessels.destination` (six-bit text with the
-- '@' padding and trailing spaces cut, CSV cells trimmed); an empty or "not available" field is
-- never stored. Ingest writes, per batch, the first report of each run of equal values and keeps a
-- row only when the value differs from the row (stored or in the same batch) just before it in
-- time; a vessel that keeps its destination therefore writes nothing after its first report, and
-- re-ingesting the same input writes nothing (the primary key, plus the same test). Batches may
-- commit out of order: a late batch can leave two consecutive rows with the same value (readers
-- collapse them), and a late report of a different value inside a stored run is stored as a
-- change whose return to the old value is not (the reports that would show it were not stored):
-- see packages/ingest README.
CREATE TABLE vessel_destinations (
  mmsi integer NOT NULL,
  ts timestamptz NOT NULL,
  destination text NOT NULL CHECK (destination <> ''),
  PRIMARY KEY (mmsi, ts)
);

-- Row rights for the services' role come from the migrator (packages/db migrator.ts
-- grantServiceRole, after every run), like every other table's (migrations/0016).
