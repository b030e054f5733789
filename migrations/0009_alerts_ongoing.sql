-- The detector's close sweep (services/detector/src/close-sweep.ts) looks every minute for ongoing
-- alerts that ended a merge gap ago; a handful of rows among millions, so a partial index.
CREATE INDEX alerts_ongoing_end ON alerts (end_at) WHERE status = 'ongoing';
