-- Alerts API (issue 6): triage with an audit trail, and a change sequence for dashboards
-- (ETag/304, updatedSince cursors, the SSE stream's Last-Event-ID).

-- Triage state is the analyst's, separate from the detector's status (ongoing/closed/retracted):
-- a re-run never resets it.
ALTER TABLE alerts
  ADD COLUMN triage_state text NOT NULL DEFAULT 'new'
    CHECK (triage_state IN ('new', 'acknowledged', 'escalated', 'dismissed')),
  ADD COLUMN triage_note text,
  ADD COLUMN triaged_by text,
  ADD COLUMN triaged_at timestamptz;

-- Every insert or real update of an alert takes the next change_seq, in COMMIT order: the
-- trigger takes a transaction-scoped advisory lock before drawing the number, so a writer can
-- only draw after every earlier writer has committed (locks are released after the commit is
-- visible). A reader that has seen change_seq N has therefore seen every change ≤ N, which is
-- what makes "changes after N" cursors and SSE resumption lossless with concurrent writers.
CREATE SEQUENCE alert_change_seq;
ALTER TABLE alerts ADD COLUMN change_seq bigint;
UPDATE alerts SET change_seq = s.n
FROM (SELECT id, nextval('alert_change_seq') AS n FROM (SELECT id FROM alerts ORDER BY updated_at, id) o) s
WHERE alerts.id = s.id;
ALTER TABLE alerts ALTER COLUMN change_seq SET NOT NULL;
CREATE UNIQUE INDEX alerts_change_seq ON alerts (change_seq);

CREATE FUNCTION alerts_next_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  -- 7364 = 'rz': one lock id for all alert writers (see above).
  PERFORM pg_advisory_xact_lock(7364, 1);
  NEW.change_seq := nextval('alert_change_seq');
  RETURN NEW;
END $$;
CREATE TRIGGER alerts_change_seq BEFORE INSERT OR UPDATE ON alerts
  FOR EACH ROW EXECUTE FUNCTION alerts_next_change();

-- Listeners (the API's change feed) hear of committed changes once per statement; the payload
-- is empty, they read "change_seq > last seen" themselves.
CREATE FUNCTION alerts_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('alerts_changed', '');
  RETURN NULL;
END $$;
CREATE TRIGGER alerts_notify AFTER INSERT OR UPDATE ON alerts
  FOR EACH STATEMENT EXECUTE FUNCTION alerts_notify_change();

-- Who changed an alert's triage state, from what to what, when and why. Append-only.
CREATE TABLE alert_triage_history (
  id bigserial PRIMARY KEY,
  alert_id bigint NOT NULL REFERENCES alerts (id),
  from_state text NOT NULL,
  to_state text NOT NULL CHECK (to_state IN ('new', 'acknowledged', 'escalated', 'dismissed')),
  note text,
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_triage_history_alert ON alert_triage_history (alert_id, id);

-- List filters that the existing indexes do not serve (score, status + time, keyset order).
CREATE INDEX alerts_start_id ON alerts (start_at DESC, id DESC);
CREATE INDEX alerts_score_id ON alerts (score DESC, id DESC);
CREATE INDEX alerts_watchlists ON alerts USING gin (watchlists);
