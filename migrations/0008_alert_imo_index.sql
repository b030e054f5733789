-- Alerts API (issue 6): `GET /v1/alerts?imo=` matches either vessel's identity snapshot taken at
-- the time of the meeting (alerts.vessel_a / vessel_b ->> 'imo'), not today's identity: an IMO
-- is the one identifier that survives renames, reflagging and MMSI changes (DESIGN.md).
-- Partial: most AIS identities carry no IMO, and "->>'imo' = $1" implies IS NOT NULL.
CREATE INDEX alerts_imo_a ON alerts ((vessel_a->>'imo')) WHERE vessel_a->>'imo' IS NOT NULL;
CREATE INDEX alerts_imo_b ON alerts ((vessel_b->>'imo')) WHERE vessel_b->>'imo' IS NOT NULL;
