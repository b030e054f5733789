-- A call at a sanctioned port (issue 15, `port_call_sanctioned`): a one-vessel alert like an AIS
-- gap, owned by the window holding the call's arrival. The known set of types grows by it.
ALTER TABLE alerts DROP CONSTRAINT alerts_type_known;
ALTER TABLE alerts
  ADD CONSTRAINT alerts_type_known CHECK (type IN ('rendezvous', 'ais_gap', 'loitering', 'dark_rendezvous', 'port_call_sanctioned'));
