-- Alert list filters without a time bound (a triage queue, "everything retracted"): measured on
-- 1 M alerts (services/api/bench), `triage=escalated&minScore=50` 29 ms → 4.9 ms and
-- `status=retracted&triage=dismissed` 1.5 s → 0.23 s cold, instead of walking the whole
-- start_at index for a few matches.
CREATE INDEX alerts_triage_start ON alerts (triage_state, start_at DESC, id DESC);
CREATE INDEX alerts_status_start ON alerts (status, start_at DESC, id DESC);
