-- Rendezvous alerts and their evidence (issue 5).

-- One row per meeting. alert_key is deterministic (pair + grid-aligned start + profile), so live
-- detection, late data and any number of re-runs update the same row instead of adding one.
-- A later pass that disproves an alert marks it 'retracted' (never deleted).
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  alert_key text NOT NULL UNIQUE,
  type text NOT NULL DEFAULT 'rendezvous',
  status text NOT NULL CHECK (status IN ('ongoing', 'closed', 'retracted')),
  mmsi_a integer NOT NULL,
  mmsi_b integer NOT NULL,
  vessel_a jsonb NOT NULL,          -- identity snapshot at the time of the meeting
  vessel_b jsonb NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  duration_s integer NOT NULL,
  closest_m real NOT NULL,
  median_m real NOT NULL,
  median_sog_a real,
  median_sog_b real,
  centroid geometry(Point, 4326) NOT NULL,
  in_port boolean NOT NULL DEFAULT false,
  score real NOT NULL,
  score_factors jsonb NOT NULL,     -- [{ factor, points, detail }]: never a bare number
  watchlists text[] NOT NULL DEFAULT '{}',
  profile text NOT NULL,
  detector_version text NOT NULL,
  event jsonb NOT NULL,             -- the detector's event exactly as computed (re-runs compare it)
  retraction_reason text,
  replaced_by text,                 -- alert_key of the event that superseded this one, if any
  first_detected_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_time ON alerts (start_at, end_at);
CREATE INDEX alerts_pair ON alerts (mmsi_a, mmsi_b, start_at);
CREATE INDEX alerts_mmsi_b ON alerts (mmsi_b, start_at);
CREATE INDEX alerts_updated ON alerts (updated_at, id);
CREATE INDEX alerts_centroid ON alerts USING gist (centroid);

-- Both tracks over the meeting plus a margin, as [epoch ms, lon, lat, sog] rows.
CREATE TABLE alert_evidence (
  alert_id bigint PRIMARY KEY REFERENCES alerts (id),
  margin_s integer NOT NULL,
  track_a jsonb NOT NULL,
  track_b jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
