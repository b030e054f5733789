-- Raw AIS archive (issue 14, evidence export): for every stored position, the exact line(s) it
-- was decoded from, so an alert's evidence can give back what the receivers sent, not only what
-- we made of it. For NMEA: the whole received line (TAG block, trailer, a leading `$PGHP` line
-- that stamped it), and every part of a multi-sentence message joined by '\n', in arrival order;
-- for CSV sources: the CSV row. Receiver copies dropped by ingest store nothing (the stored
-- report keeps its own line); rejected lines store nothing.
--
-- Keyed like positions by (mmsi, ts), written by ingest in the batch's own transaction right
-- after the positions (packages/ingest position-store.ts), so a kept position never lacks its
-- line, and re-ingesting the same input writes nothing. Not partitioned: it is read by one
-- vessel and a few hours at a time (the primary key's index), and has no retention of its own.
-- Positions stored before this migration have no row here; the export says so.
CREATE TABLE raw_reports (
  mmsi integer NOT NULL,
  ts timestamptz NOT NULL,
  -- The position's source (TAG block s:, trailer station), as in positions.source.
  source text,
  lines text NOT NULL,
  PRIMARY KEY (mmsi, ts)
);
-- Row rights for the services' role come from the migrator (packages/db migrator.ts
-- grantServiceRole, after every run), like every other table's.
