-- Sanctioned places and voyages (issue 15): three one-vessel alert types, owned like an AIS gap
-- by the window holding their start.
--   port_call_sanctioned      a port call at a sanctioned port or a port of a sanctioned country;
--   gap_near_sanctioned_area  an AIS gap that could have reached a sanctioned area, after which
--                             the vessel is deeper in the water (loaded while dark);
--   voyage_irregularity       a leg between two port calls hiding a stop, changing draught at
--                             sea, or reaching another port than the one declared.
ALTER TABLE alerts DROP CONSTRAINT alerts_type_known;
ALTER TABLE alerts
  ADD CONSTRAINT alerts_type_known CHECK (type IN ('rendezvous', 'ais_gap', 'loitering', 'dark_rendezvous',
    'port_call_sanctioned', 'gap_near_sanctioned_area', 'voyage_irregularity'));
