-- Alert lists filtered by area, time and minimum score (the analyst's common query). The 2-D
-- centroid index alone matches every alert ever seen in a busy STS area (72,874 of 1 M for the
-- Laconian Gulf in the API bench) and the time and score tests then run on each heap row:
-- 111 ms for 51 rows. Indexing each alert as a segment in (lon, lat, epoch seconds, score) from
-- its start to its end lets one n-D GiST search (`&&&`, up to 4 dimensions) answer "inside the
-- box, overlapping the time range, scored at least this" together.
-- The epoch of a timestamptz does not depend on the session time zone, so the wrapper is
-- IMMUTABLE as an index expression must be.
CREATE FUNCTION alert_spacetime(centroid geometry, start_at timestamptz, end_at timestamptz, score real) RETURNS geometry
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT ST_MakeLine(ST_MakePoint(ST_X(centroid), ST_Y(centroid), extract(epoch FROM start_at)::float8, score),
                           ST_MakePoint(ST_X(centroid), ST_Y(centroid), extract(epoch FROM end_at)::float8, score)) $$;
CREATE INDEX alerts_spacetime ON alerts USING gist (alert_spacetime(centroid, start_at, end_at, score) gist_geometry_ops_nd);
