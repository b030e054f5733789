-- Stale detector runs (issue 11). Two runs touching the same meeting can overlap (a window's
-- follow-up job on another detector, neighbouring windows) and finish in either order. Each run
-- takes a number from detection_data_version before it reads any position, so a larger number
-- has seen at least every commit a smaller one saw; a run writes a pair's alerts only while
-- holding that pair's row here and only if no run with a larger number has written the pair
-- since, so a run on older data finishing last changes nothing the newer run decided.
-- CACHE 1 (the default): numbers increase across sessions, not only within one.
CREATE SEQUENCE detection_data_version;

CREATE TABLE alert_pair_versions (
  mmsi_a integer NOT NULL,
  mmsi_b integer NOT NULL,
  data_version bigint NOT NULL,
  PRIMARY KEY (mmsi_a, mmsi_b)
);
