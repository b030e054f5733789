-- Transactional outbox of detection windows (issue 11). Ingest inserts one row per window a batch
-- touched, in the same transaction as the batch's positions, so a committed position always has
-- its window recorded even while Redis is down. A drainer (in ingest and in the detector) hands
-- rows to BullMQ and stamps enqueued_at; the detector deletes the rows it saw when the window's
-- run succeeds. Rows stamped long ago and still here (a job lost with Redis's memory, a run that
-- failed every attempt) are handed over again, so no touched window is forgotten.
-- Insert-only on the ingest side (no row is updated by two writers), so concurrent batches never
-- wait on each other here.
CREATE TABLE detection_outbox (
  id bigserial PRIMARY KEY,
  window_start timestamptz NOT NULL,
  window_ms integer NOT NULL CHECK (window_ms > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  enqueued_at timestamptz
);
CREATE INDEX detection_outbox_window ON detection_outbox (window_start);
CREATE INDEX detection_outbox_due ON detection_outbox (enqueued_at NULLS FIRST, id);
