-- Received lines inside positions (issue 16, goal 1: PostgreSQL CPU per ingested position). The
-- raw archive of 0019 kept each position's line(s) in raw_reports, a second table with its own
-- primary key, written by a second COPY in every batch. As a nullable `lines` column of positions,
-- written in the positions' own COPY, a batch writes one heap row and one key per position instead
-- of two: 1.5-1.6 µs less PostgreSQL CPU per position (the ingest bench, 2,000 vessels × 500
-- TAG-stamped reports of 75 B a line: COPY raw_reports 1.72-1.79 s per 1M positions gone, COPY
-- positions 2.14-2.19 -> 2.24-2.33 s). The cost: scans of every position of a time range read the
-- lines' pages too (75 B lines: +7-13 % backend CPU for a one-hour window; per-vessel primary-key
-- reads such as the detector's evidence spans and the API's track: no measurable change).
--
-- Contract kept (RawReportRepository, the evidence export): a position's received lines, as
-- received; NULL for a position stored before 0019 or without a line (the simulator, the detector
-- bench). Lines now live and die with their position: a position deleted (or its day partition
-- dropped) takes its lines along. Lines in raw_reports whose position is no longer stored (positions
-- truncated or deleted, raw_reports not) cannot be placed and are not kept; the NOTICE counts them.
--
-- Adding a nullable column without a default changes only the catalog (every day partition gets it).
-- The UPDATE writes a new version of every position that has a line: on a large database this
-- migration rewrites positions since 0019 once (and leaves the old versions to autovacuum).
--
-- Citus (0026): raw_reports was in its plan as a distributed table co-located with positions; the
-- statements below are plain DDL and DML that work the same on plain PostgreSQL and on a Citus
-- coordinator (a column added to a distributed table, an UPDATE joining co-located tables on the
-- distribution column, a DROP), so no guard is needed. 0026 itself is unchanged: on a database
-- migrated from scratch it still sees raw_reports, which this migration then drops.
ALTER TABLE positions ADD COLUMN lines text;

UPDATE positions p SET lines = r.lines
FROM raw_reports r
WHERE p.mmsi = r.mmsi AND p.ts = r.ts;

DO $orphans$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM raw_reports r WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.mmsi = r.mmsi AND p.ts = r.ts);
  IF n > 0 THEN
    RAISE NOTICE '0028: % raw_reports rows had no stored position and are not kept', n;
  END IF;
END
$orphans$;

DROP TABLE raw_reports;
