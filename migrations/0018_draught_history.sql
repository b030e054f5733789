-- Draught history (issue 13): every change of a vessel's reported type 5 draught, for the
-- detector's cargo evidence (DESIGN.md "Dark activity": a change ≥ 1–3 m by size class, away
-- from ports, next to a meeting or a gap). `vessels.draught` keeps only the latest value.
--
-- One row per change point: (mmsi, ts) is the time of the first type 5 report of a new value,
-- draught in metres (0.1 m steps; 25.5 means ≥ 25.5 m). 0 ("not available") is never stored.
-- Ingest writes, per batch, the first report of each run of equal values and keeps a row only
-- when the value differs from the row (stored or in the same batch) just before it in time; a
-- steady vessel therefore writes nothing after its first report, and re-ingesting the same input
-- writes nothing (the primary key, plus the same test). Batches may commit out of order: a late
-- batch can leave two consecutive rows with the same value (readers collapse them), and a late
-- report of a different value inside a stored run is stored as a change whose return to the old
-- value is not (the reports that would show it were not stored): see packages/ingest README.
CREATE TABLE vessel_draughts (
  mmsi integer NOT NULL,
  ts timestamptz NOT NULL,
  draught real NOT NULL CHECK (draught > 0),
  PRIMARY KEY (mmsi, ts)
);
