-- Evidence tracks are large (two tracks of hundreds of reports per alert, 10–60 kB of text each)
-- and always TOASTed: PostgreSQL's default pglz compression made their write most of a large
-- detection window's alert-write time. lz4 compresses several times faster (and decompresses
-- faster for GET /v1/alerts/:id). Measured here on 320 alerts × two 720-point tracks (19 MB of
-- text): INSERT 642–682 ms with pglz, 150–166 ms with lz4. Values already stored keep pglz until
-- rewritten. A server built without lz4 keeps pglz (the statement would fail there).
DO $$
BEGIN
  ALTER TABLE alert_evidence
    ALTER COLUMN track_a SET COMPRESSION lz4,
    ALTER COLUMN track_b SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 not available in this PostgreSQL build: evidence stays pglz-compressed';
END
$$;
