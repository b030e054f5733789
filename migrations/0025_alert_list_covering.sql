-- Alert list pages without reading the alerts' rows (issue 16; services/api/bench, 1 M alerts).
-- A page of the Laconian Gulf over a quarter (2,655 matches, 51 kept) spent 25–50 ms fetching the
-- 2,655 heap rows (~1.5 kB each, one page apiece) that the spacetime index found, only to sort
-- them by start_at and keep 51. Both indexes below carry what the list filters and sorts on, so
-- the query finds its page in the index alone (an index-only scan) and reads just the page's
-- rows by id (alert-query-repository.ts list()):
--
-- * the n-D GiST of 0011 with the filtered and sorted columns INCLUDEd: a box + time + score
--   search sorts its matches from the index (2,655 matches: 25 ms → 9 ms);
-- * the (start_at DESC, id DESC) order of 0006 with the same columns INCLUDEd: the default
--   newest-first page walks the newest candidates and filters them in the index, which answers
--   a dense filter after a few thousand index entries whatever the number of matches (0.3–2 ms).
--
-- They replace the two indexes they extend (same keys, same uses), so writes maintain as many
-- indexes as before. Built in the migration's transaction like 0011: writes to alerts wait for
-- the build (about 45 s per million alerts on the 2-core bench machine).
CREATE INDEX alerts_spacetime_cover ON alerts USING gist (alert_spacetime(centroid, start_at, end_at, score) gist_geometry_ops_nd)
  INCLUDE (start_at, id, end_at, score, status, type, triage_state, centroid);
DROP INDEX alerts_spacetime;
CREATE INDEX alerts_start_cover ON alerts (start_at DESC, id DESC)
  INCLUDE (end_at, score, status, type, triage_state, centroid);
DROP INDEX alerts_start_id;
