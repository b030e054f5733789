-- Citus distribution (issue 16, docs/scaling.md section 3): on a Citus coordinator, distribute the
-- vessel-keyed tables by MMSI, co-located with positions, and make the small shared tables
-- reference tables. On plain PostgreSQL this migration does nothing: every statement is behind the
-- guard below, so it is recorded as applied and the schema is unchanged
-- (test/db/citus-guard.test.ts checks both: the skipped block on plain PostgreSQL, and the calls
-- the guarded branch makes when stand-in functions are visible; no real Citus runs in the tests).
--
-- The guard looks for the functions the block calls, not for pg_extension's 'citus' row:
--   * it asks exactly what the block needs (callable create_distributed_table and
--     create_reference_table), and pg_proc by name also finds overloaded versions, where
--     to_regproc() would answer NULL;
--   * an extension cannot be faked without control files in the server's share directory, so a
--     pg_extension guard could only ever be tested on a real Citus; functions of the same names
--     can be created in a throwaway database, which is how the guarded branch is tested here.
--   The cost: a database with unrelated functions of these (Citus-specific) names would take the
--   branch. Migrations run on the coordinator (DATABASE_MIGRATION_URL), never on a worker.
--
-- Before any call, the branch checks what Citus would refuse, and stops with the whole list
-- instead of failing half-way at Citus's first error (the migration's transaction would roll back
-- either way): a distributed table must hold its distribution column, each of its primary keys,
-- unique constraints and unique indexes must include that column, and a foreign key is allowed
-- only between co-located distributed tables through the distribution column, or towards a
-- reference table from a distributed or reference one. Today's schema fails that check (alerts'
-- keys are `id` and `alert_key`, alert_evidence and alert_triage_history have no mmsi_a,
-- port_calls' key is `key`, webhook_deliveries refers to alerts): on a Citus coordinator this
-- migration stops with that list until a migration has changed those keys (docs/scaling.md
-- section 5). The keys are not changed here.
--
-- Tables created by later migrations are plain local tables unless their own migration
-- distributes them (guarded the same way). New daily partitions of positions
-- (rendezvous_ensure_position_partition) are partitions of a distributed table, which Citus
-- distributes as they are created.
DO $citus$
DECLARE
  blockers text;
  step record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'create_distributed_table' AND pg_function_is_visible(oid))
     OR NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'create_reference_table' AND pg_function_is_visible(oid)) THEN
    RETURN; -- plain PostgreSQL: nothing to do
  END IF;

  -- The plan (docs/scaling.md section 3), in call order: reference tables before the tables that
  -- refer to them, positions first among the distributed ones (the co-location group every other
  -- distributed table joins), alerts before the tables that refer to it. 'local' tables stay on
  -- the coordinator; they are listed so the foreign-key check knows them.
  CREATE TEMP TABLE rendezvous_citus_plan (ord int, rel text, kind text, dist_column text, colocate_with text) ON COMMIT DROP;
  INSERT INTO rendezvous_citus_plan VALUES
    (1, 'watchlists', 'reference', NULL, NULL),
    (2, 'watchlist_versions', 'reference', NULL, NULL),
    (3, 'watchlist_entries', 'reference', NULL, NULL),
    (4, 'suspects', 'reference', NULL, NULL),
    (5, 'suspect_audit', 'reference', NULL, NULL),
    (6, 'api_tokens', 'reference', NULL, NULL),
    (7, 'webhooks', 'reference', NULL, NULL),
    (10, 'positions', 'distributed', 'mmsi', 'none'),
    (11, 'position_buckets', 'distributed', 'mmsi', 'positions'),
    (12, 'raw_reports', 'distributed', 'mmsi', 'positions'),
    (13, 'vessels', 'distributed', 'mmsi', 'positions'),
    (14, 'vessel_identity_history', 'distributed', 'mmsi', 'positions'),
    (15, 'vessel_draughts', 'distributed', 'mmsi', 'positions'),
    (16, 'vessel_destinations', 'distributed', 'mmsi', 'positions'),
    (17, 'port_calls', 'distributed', 'mmsi', 'positions'),
    (20, 'alerts', 'distributed', 'mmsi_a', 'positions'),
    (21, 'alert_evidence', 'distributed', 'mmsi_a', 'positions'),
    (22, 'alert_triage_history', 'distributed', 'mmsi_a', 'positions'),
    (23, 'alert_pair_versions', 'distributed', 'mmsi_a', 'positions'),
    (30, 'detection_outbox', 'local', NULL, NULL),
    (31, 'webhook_deliveries', 'local', NULL, NULL),
    (32, 'webhook_dispatch_cursor', 'local', NULL, NULL),
    (33, 'schema_migrations', 'local', NULL, NULL);

  WITH t AS (
    SELECT pl.*, to_regclass(pl.rel) AS oid,
           (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = to_regclass(pl.rel) AND a.attname = pl.dist_column AND NOT a.attisdropped) AS dist_attnum
    FROM rendezvous_citus_plan pl
  ),
  problems AS (
    -- A distributed table without its distribution column.
    SELECT t.rel || ' has no column ' || t.dist_column AS problem FROM t WHERE t.kind = 'distributed' AND t.dist_attnum IS NULL
    UNION ALL
    -- Primary keys, unique and exclusion constraints without the distribution column.
    SELECT t.rel || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) || ' does not include ' || t.dist_column
    FROM t JOIN pg_constraint c ON c.conrelid = t.oid
    WHERE t.kind = 'distributed' AND t.dist_attnum IS NOT NULL AND c.contype IN ('p', 'u', 'x') AND NOT (t.dist_attnum = ANY (c.conkey))
    UNION ALL
    -- Unique indexes of their own (not behind a constraint) without the distribution column.
    SELECT t.rel || ' unique index ' || i.indexrelid::regclass::text || ' does not include ' || t.dist_column
    FROM t JOIN pg_index i ON i.indrelid = t.oid
    WHERE t.kind = 'distributed' AND t.dist_attnum IS NOT NULL AND i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = t.oid)
      AND NOT (t.dist_attnum = ANY (i.indkey::int2[]))
    UNION ALL
    -- Foreign keys Citus does not take: towards a distributed table unless from a table
    -- co-located with it through both distribution columns; from a local table to any Citus
    -- table; from a Citus table to a local one.
    SELECT src.rel || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) || ' (' || src.kind || ' → ' || coalesce(dst.kind, 'local') || ')'
    FROM pg_constraint c
    JOIN t src ON src.oid = c.conrelid
    LEFT JOIN t dst ON dst.oid = c.confrelid
    WHERE c.contype = 'f'
      AND NOT (
        (coalesce(dst.kind, 'local') = 'reference' AND src.kind IN ('distributed', 'reference'))
        OR (coalesce(dst.kind, 'local') = 'local' AND src.kind = 'local')
        OR (dst.kind = 'distributed' AND src.kind = 'distributed'
            AND src.colocate_with IN ('positions', 'none') AND dst.colocate_with IN ('positions', 'none')
            AND EXISTS (SELECT 1 FROM unnest(c.conkey, c.confkey) AS k(src_att, dst_att)
                        WHERE k.src_att = src.dist_attnum AND k.dst_att = dst.dist_attnum))
      )
  )
  SELECT string_agg(problem, E';\n  ' ORDER BY problem) INTO blockers FROM problems;

  IF blockers IS NOT NULL THEN
    RAISE EXCEPTION E'Citus is present, but these keys stop the distribution of the schema:\n  %', blockers
      USING HINT = 'docs/scaling.md sections 3 and 5: the keys must include the distribution column (a migration of its own) before this one can run on Citus';
  END IF;

  FOR step IN SELECT * FROM rendezvous_citus_plan WHERE kind <> 'local' ORDER BY ord LOOP
    IF step.kind = 'reference' THEN
      PERFORM create_reference_table(step.rel::regclass);
    ELSE
      PERFORM create_distributed_table(step.rel::regclass, step.dist_column, colocate_with => step.colocate_with);
    END IF;
  END LOOP;
END
$citus$;
