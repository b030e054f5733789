-- What the detector's close sweep looks for every minute (issue 15), indexed so the scan stays
-- small however many alerts and port calls are stored:
--   AIS gaps stored without their end ("on"), not of a shared-MMSI segment
--     (alert-repository.ts reheardGapWindows; the predicate is the query's, so the planner uses it);
--   port calls stored while the vessel was in port (port-call-repository.ts departedOngoingWindows).
CREATE INDEX alerts_open_gaps ON alerts (mmsi_a)
  WHERE type = 'ais_gap'
    AND status <> 'retracted'
    AND jsonb_typeof(event->'on') IS DISTINCT FROM 'object'
    AND jsonb_typeof(event->'segment') IS DISTINCT FROM 'string';
CREATE INDEX port_calls_ongoing ON port_calls (mmsi) WHERE departure IS NULL;
