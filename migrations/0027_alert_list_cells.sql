-- Newest-first alert pages of a small area (issue 16, goal 3: distinct filtered pages p99 < 50 ms
-- at 10 connections on 1 M alerts). The newest-first walk of 0025 reads the newest alerts of the
-- whole world and keeps those in the box: for a regional view (the API bench's Laconian Gulf,
-- 1.6° × 1.3°, 90 days, a random minimum score) it read about 3,400 index entries a page on
-- average and often ran out of candidates and fell back to the general query. Walking only the
-- 1° cells the box touches reads about 200 (alert-query-repository.ts walkPage()).
--
-- alert_cell numbers the 1° cell of a point: (floor(lat) + 90) * 361 + floor(lon) + 180, so
-- lon 180 and lat 90 have cells of their own (column 360, row 180) and no clamping is needed.
-- The repository computes the same numbers for a box (alertCellsOf in alert-query-repository.ts);
-- the two must stay identical. IMMUTABLE and STRICT like alert_spacetime (0011).
CREATE FUNCTION alert_cell(centroid geometry) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT (floor(ST_Y(centroid))::integer + 90) * 361 + (floor(ST_X(centroid))::integer + 180) $$;

-- The order and INCLUDEd columns of alerts_start_cover (0025) behind the cell: each cell is one
-- newest-first index range, and the walk merges the box's ranges (a Merge Append) reading the
-- filter's columns from the index alone. A third index on alerts: alert writes maintain it too.
-- Built in the migration's transaction like 0025 (about 6 s per million alerts on the 2-core
-- bench machine; writes to alerts wait for it).
CREATE INDEX alerts_cell_start_cover ON alerts (alert_cell(centroid), start_at DESC, id DESC)
  INCLUDE (end_at, score, status, type, triage_state, centroid);
