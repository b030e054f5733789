-- The detector's read path (issue 5): per vessel and 10-minute bucket, the first and the last
-- report (time, position, SOG) and the extent of all its reports.
--
-- Why this is exact: the detector resamples every track onto grid times g = k × 10 min
-- (packages/detection resample.ts), and a grid position depends only on the last report ≤ g and
-- the first report ≥ g. Both are the last report of some bucket before g or the first report of
-- a bucket at or after g, so the first and last report of every bucket give every grid position,
-- every silence test (the bracketing reports are the same) and every implied speed exactly as
-- the raw positions do, for any grid step that is a multiple of 10 minutes. The detector reads
-- about 1 row per vessel and bucket here instead of every report (measured: 288,000 rows instead
-- of 2.88 M for 2,000 vessels × 24 h at a report a minute).
-- The extent (min/max lon/lat, spread_m) is what lets the detector prove that no leg inside a
-- bucket can be an impossible-speed jump (a shared MMSI, DESIGN.md); a vessel it cannot clear
-- is read raw.
--
-- Written by ingest in the same transaction as the positions (packages/db position-buckets.ts),
-- with LEAST/GREATEST semantics: order of batches, late data and re-ingesting change nothing.
-- Ties on time keep the stored report, as the positions primary key does.
CREATE TABLE position_buckets (
  mmsi integer NOT NULL,
  bucket integer NOT NULL,             -- floor(epoch seconds / 600)
  first_ts timestamptz NOT NULL,
  first_lon double precision NOT NULL,
  first_lat double precision NOT NULL,
  first_sog real,
  last_ts timestamptz NOT NULL,
  last_lon double precision NOT NULL,
  last_lat double precision NOT NULL,
  last_sog real,
  lon_min double precision NOT NULL,
  lon_max double precision NOT NULL,
  lat_min double precision NOT NULL,
  lat_max double precision NOT NULL,
  -- An upper bound of the distance (m) between any two reports of the bucket, so the detector
  -- reads one number: the path along one report's meridian then the other's parallel is never
  -- shorter than the geodesic; on WGS-84 a degree of meridian is at most 111,694 m (at the
  -- poles) and a degree of parallel at most 111,694 m × cos(latitude), largest at the box's
  -- latitude nearest the equator. A box across ±180° spans ~360° of longitude: a huge bound, and
  -- the detector reads that vessel raw, which is what it needs.
  spread_m double precision GENERATED ALWAYS AS (
    (lat_max - lat_min) * 111700 + (lon_max - lon_min) * 111700
      * cos(radians(CASE WHEN lat_min <= 0 AND lat_max >= 0 THEN 0 ELSE least(abs(lat_min), abs(lat_max)) END))
  ) STORED,
  PRIMARY KEY (mmsi, bucket)
) WITH (fillfactor = 80); -- room for HOT updates: an upsert never changes an indexed column

-- The detector reads whole time ranges; rows arrive roughly in time order (as positions do).
CREATE INDEX position_buckets_bucket_brin ON position_buckets USING brin (bucket);

-- Positions already stored (a database migrated from before this table).
INSERT INTO position_buckets (mmsi, bucket, first_ts, first_lon, first_lat, first_sog, last_ts, last_lon, last_lat, last_sog,
                              lon_min, lon_max, lat_min, lat_max)
SELECT mmsi, bucket,
       to_timestamp(f[1] / 1e6), f[2], f[3], f[4]::real,
       to_timestamp(l[1] / 1e6), l[2], l[3], l[4]::real,
       lon_min, lon_max, lat_min, lat_max
FROM (
  SELECT mmsi, floor(extract(epoch FROM ts) / 600)::integer AS bucket,
         -- Arrays compare element by element: min/max of [µs, lon, lat, sog] is the first/last report.
         min(ARRAY[(extract(epoch FROM ts) * 1e6)::float8, ST_X(geom), ST_Y(geom), sog]) AS f,
         max(ARRAY[(extract(epoch FROM ts) * 1e6)::float8, ST_X(geom), ST_Y(geom), sog]) AS l,
         min(ST_X(geom)) AS lon_min, max(ST_X(geom)) AS lon_max, min(ST_Y(geom)) AS lat_min, max(ST_Y(geom)) AS lat_max
  FROM positions
  GROUP BY 1, 2
) b;

-- Emptying positions (tests, benchmarks) empties the buckets with it. Positions are never
-- deleted row by row; a DELETE would have to recompute its buckets.
CREATE FUNCTION position_buckets_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE position_buckets;
  RETURN NULL;
END $$;
CREATE TRIGGER positions_truncate_buckets AFTER TRUNCATE ON positions
  FOR EACH STATEMENT EXECUTE FUNCTION position_buckets_truncate();
