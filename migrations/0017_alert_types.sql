-- Alert types beyond the two-vessel rendezvous (issue 13): an AIS gap and a loitering concern one
-- vessel; a dark rendezvous names two, one of which was not transmitting. So the second vessel,
-- its snapshot and evidence track, and the measured distances between the two are optional —
-- required exactly where two vessels were seen together. The type is one of a known set.
ALTER TABLE alerts
  ALTER COLUMN mmsi_b DROP NOT NULL,
  ALTER COLUMN vessel_b DROP NOT NULL,
  ALTER COLUMN closest_m DROP NOT NULL,
  ALTER COLUMN median_m DROP NOT NULL;

ALTER TABLE alerts
  ADD CONSTRAINT alerts_type_known CHECK (type IN ('rendezvous', 'ais_gap', 'loitering', 'dark_rendezvous')),
  -- Two parties for the two-vessel types, one for the others.
  ADD CONSTRAINT alerts_parties CHECK ((type IN ('rendezvous', 'dark_rendezvous')) = (mmsi_b IS NOT NULL AND vessel_b IS NOT NULL)),
  -- A rendezvous is measured: both vessels were seen, so their distances are known.
  ADD CONSTRAINT alerts_rendezvous_measured CHECK (type <> 'rendezvous' OR (closest_m IS NOT NULL AND median_m IS NOT NULL));

ALTER TABLE alert_evidence ALTER COLUMN track_b DROP NOT NULL;

-- `?type=` lists (newest first, like alerts_status_start) and the detector's per-type reads of
-- the alerts a window owns.
CREATE INDEX alerts_type_start ON alerts (type, start_at DESC, id DESC);
