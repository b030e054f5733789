// Seeds the API benchmark's database with N alerts shaped exactly as the detector writes them
// (packages/db/src/repositories/alert-repository.ts, services/detector/src/window-detector.ts;
// migrations 0005 and 0006), generated inside PostgreSQL with INSERT … SELECT generate_series so a
// million rows take about a minute instead of a million round trips.
//
// What the data looks like, and why:
// - a fleet of ~50,000 vessels (MMSIs under 30 common flags' MIDs, 90 % with an IMO carrying a
//   valid check digit, ship types weighted towards tankers and cargo as STS transfers are), whose
//   identity snapshots (name, call sign, IMO, ship type, flag, list matches, suspects, anomalies)
//   are copied into each alert as the detector does;
// - 1 % of vessels on a list (ofac, eu, uk, gur), so ~2 % of alerts carry watchlists (two parties
//   each); those pairs were judged by the sensitive profile, the others by gfw-encounter;
// - start times over 2 years (2024–2025), ids in roughly detection order; centroids 80 % at
//   known STS areas (Laconian Gulf, Ceuta, Kerch, Fujairah, Johor/Riau, Lomé, …) and 20 % across
//   open oceans; durations 2–12 h on the 10-minute grid, 15 % merged from two runs;
// - scores computed from factors with the weights of packages/scoring/src/score.ts (watchlist
//   40 × confidence capped at 60, duration, tightness, tanker pair, night, identity anomaly, in
//   port), so score and score_factors agree; 3 % retracted, the last day's alerts ongoing;
// - triage: 80 % new, the rest acknowledged / escalated / dismissed by an analyst, each with its
//   alert_triage_history row; triage bumps updated_at (alert-query-repository.ts triage()), and
//   change_seq follows commit order (detection, retraction, then triage);
// - evidence (both tracks, `evidencePoints` points each over the meeting ± 1 h, [epoch ms, lon,
//   lat, sog] as the detector stores them) for every (N / evidence)-th alert only: all 1M would
//   be tens of GB of json, and the single-alert case fetches only those.
//
// The change_seq trigger (0006) is disabled for the load, inside the seeding transaction, and
// change_seq filled from the same ordering the trigger would have produced; the sequences are
// advanced past the seed so the API and later writes continue from there.
import type pg from 'pg';

export interface SeedOptions {
  alerts: number;
  vessels: number;
  /** Alerts with evidence rows: ids divisible by floor(alerts / evidence). */
  evidence: number;
  evidencePoints: number;
}

export interface SeedResult {
  reused: boolean;
  ms: number;
  /** Ids of the alerts that have evidence are the multiples of this step. */
  evidenceStep: number;
  /** The seeded time range [from, to). */
  from: Date;
  to: Date;
}

const FROM = new Date('2024-01-01T00:00:00Z');
const TO = new Date('2026-01-01T00:00:00Z');

/** Maritime identification digits and their flags (ITU-R M.585 MID table): flags common in STS traffic. */
const FLAGS: [mid: number, flag: string][] = [
  [636, 'LR'], [538, 'MH'], [352, 'PA'], [248, 'MT'], [477, 'HK'], [563, 'SG'], [311, 'BS'], [210, 'CY'],
  [240, 'GR'], [273, 'RU'], [413, 'CN'], [440, 'KR'], [431, 'JP'], [671, 'TG'], [620, 'KM'], [667, 'SL'],
  [613, 'CM'], [572, 'TV'], [341, 'KN'], [422, 'IR'], [511, 'PW'], [376, 'VC'], [518, 'CK'], [457, 'MN'],
  [232, 'GB'], [219, 'DK'], [257, 'NO'], [244, 'NL'], [366, 'US'], [419, 'IN'],
];

/**
 * Where meetings happen: STS hot spots named in public reporting (a Gaussian spread around a
 * point, sd in degrees) and open-ocean boxes (uniform). Weights are percentages of all alerts.
 */
export const REGIONS: { name: string; lon: number; lat: number; sdLon: number; sdLat: number; box?: [number, number, number, number]; weight: number }[] = [
  { name: 'Laconian Gulf', lon: 22.75, lat: 36.45, sdLon: 0.25, sdLat: 0.2, weight: 7 },
  { name: 'Ceuta / Alboran', lon: -5.1, lat: 35.95, sdLon: 0.3, sdLat: 0.15, weight: 5 },
  { name: 'Kerch Strait', lon: 36.6, lat: 45.15, sdLon: 0.3, sdLat: 0.2, weight: 5 },
  { name: 'off Fujairah', lon: 56.55, lat: 25.2, sdLon: 0.35, sdLat: 0.3, weight: 7 },
  { name: 'Johor / Eastern OPL', lon: 104.55, lat: 1.3, sdLon: 0.25, sdLat: 0.12, weight: 9 },
  { name: 'Riau islands', lon: 104.3, lat: 0.95, sdLon: 0.3, sdLat: 0.25, weight: 6 },
  { name: 'Yellow Sea', lon: 122.6, lat: 36.0, sdLon: 1.2, sdLat: 0.9, weight: 5 },
  { name: 'off Zhoushan', lon: 122.9, lat: 30.0, sdLon: 0.6, sdLat: 0.6, weight: 4 },
  { name: 'Lomé anchorage', lon: 1.3, lat: 6.0, sdLon: 0.2, sdLat: 0.15, weight: 4 },
  { name: 'Hurd Bank, Malta', lon: 14.7, lat: 35.8, sdLon: 0.15, sdLat: 0.1, weight: 3 },
  { name: 'Gulf of Mexico', lon: -93.5, lat: 27.2, sdLon: 2.0, sdLat: 1.0, weight: 3 },
  { name: 'off Ras Tanura', lon: 50.6, lat: 27.2, sdLon: 0.8, sdLat: 0.6, weight: 4 },
  { name: 'Gulf of Finland', lon: 27.3, lat: 59.95, sdLon: 0.8, sdLat: 0.2, weight: 3 },
  { name: 'North Sea', lon: 3.5, lat: 55.0, sdLon: 2.0, sdLat: 1.5, weight: 2 },
  { name: 'South China Sea', lon: 112.0, lat: 10.0, sdLon: 3.0, sdLat: 3.0, weight: 4 },
  { name: 'off Venezuela', lon: -66.0, lat: 11.6, sdLon: 1.0, sdLat: 0.4, weight: 2 },
  { name: 'off Port Said', lon: 32.4, lat: 31.6, sdLon: 0.3, sdLat: 0.2, weight: 2 },
  { name: 'Arabian Sea', lon: 0, lat: 0, sdLon: 0, sdLat: 0, box: [58, 12, 68, 22], weight: 3 },
  { name: 'North Atlantic', lon: 0, lat: 0, sdLon: 0, sdLat: 0, box: [-45, 20, -15, 50], weight: 6 },
  { name: 'Indian Ocean', lon: 0, lat: 0, sdLon: 0, sdLat: 0, box: [60, -30, 95, 0], weight: 5 },
  { name: 'North Pacific', lon: 0, lat: 0, sdLon: 0, sdLat: 0, box: [150, 10, 180, 40], weight: 4 },
  { name: 'South Atlantic', lon: 0, lat: 0, sdLon: 0, sdLat: 0, box: [-30, -40, 0, -5], weight: 3 },
];

export async function ensureSeed(client: pg.Client, o: SeedOptions, progress: (line: string) => void): Promise<SeedResult> {
  const evidenceStep = Math.max(1, Math.floor(o.alerts / o.evidence));
  const base = { evidenceStep, from: FROM, to: TO };
  const counts = await client.query<{ alerts: string; evidence: string; vessels: string; points: number | null }>(
    `SELECT (SELECT count(*) FROM alerts)::text AS alerts, (SELECT count(*) FROM alert_evidence)::text AS evidence, (SELECT count(*) FROM vessels)::text AS vessels,
            (SELECT json_array_length(track_a) FROM alert_evidence LIMIT 1) AS points`,
  );
  const c = counts.rows[0]!;
  const same = Number(c.alerts) === o.alerts && Number(c.evidence) === Math.floor(o.alerts / evidenceStep) && Number(c.vessels) === o.vessels && c.points === o.evidencePoints;
  if (same) {
    return { reused: true, ms: 0, ...base };
  }
  const started = performance.now();
  const step = async (label: string, text: string, values?: unknown[]) => {
    const t0 = performance.now();
    const res = await client.query(text, values);
    progress(`  seed: ${label} ${res.rowCount ?? ''} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  await client.query('BEGIN');
  try {
    await client.query("SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB'");
    // CASCADE: tables added later that reference alerts (webhook deliveries) are emptied with them.
    await client.query('TRUNCATE alert_triage_history, alert_evidence, alerts, vessel_identity_history, vessels CASCADE');
    await client.query('ALTER TABLE alerts DISABLE TRIGGER USER');
    await client.query('SELECT setseed(0.4242)');
    await step('fleet', FLEET_TABLE);
    await step('fleet rows', FLEET_INSERT, [o.vessels, FLAGS.map((f) => f[0]), FLAGS.map((f) => f[1])]);
    const regionSlots = REGIONS.flatMap((r, i) => Array.from({ length: r.weight }, () => i));
    await step('alerts', ALERTS_INSERT, [o.alerts, o.vessels, FROM, TO.getTime() - FROM.getTime(), JSON.stringify(REGIONS.map((r, i) => ({ id: i, ...r, box: r.box ?? null }))), regionSlots]);
    await client.query("SELECT setval('alerts_id_seq', $1), setval('alert_change_seq', $1)", [o.alerts]);
    await step('triage history', TRIAGE_HISTORY_INSERT);
    await step('evidence', EVIDENCE_INSERT, [evidenceStep, o.evidencePoints]);
    await step('vessels', VESSELS_INSERT, [FROM, TO]);
    await client.query('ALTER TABLE alerts ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
  // Statistics and the visibility map, as a table that has lived a while would have them.
  const t0 = performance.now();
  await client.query('VACUUM (ANALYZE) alerts, alert_evidence, alert_triage_history, vessels');
  progress(`  seed: vacuum analyze (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return { reused: false, ms: performance.now() - started, ...base };
}

const FLEET_TABLE = `
CREATE TEMP TABLE bench_fleet (
  i int PRIMARY KEY, mmsi int NOT NULL, imo int, name text, callsign text, ship_type smallint, flag text,
  lists text[] NOT NULL, snapshot jsonb NOT NULL
) ON COMMIT DROP`;

// Random draws sit in an OFFSET 0 subquery: PostgreSQL does not flatten a subquery with volatile
// functions, so each draw is taken once per row and every use below sees the same value.
const FLEET_INSERT = `
INSERT INTO bench_fleet
SELECT i, mmsi, imo, name, callsign, ship_type, flag, lists,
  jsonb_build_object(
    'mmsi', mmsi, 'imo', imo, 'name', name, 'callsign', callsign, 'shipType', ship_type, 'flag', flag,
    'listMatches', (SELECT coalesce(jsonb_agg(jsonb_build_object('list', l, 'rule', CASE WHEN imo IS NULL THEN 'mmsi' ELSE 'imo' END,
                      'confidence', CASE WHEN imo IS NULL THEN 0.9 ELSE 1 END, 'entryName', name) ORDER BY l), '[]') FROM unnest(lists) l),
    'suspects', CASE WHEN r_susp < 0.002 THEN jsonb_build_array(jsonb_build_object('suspectId', 1 + i % 40, 'rule', 'mmsi', 'reason', 'dark for 9 h off Kalamata, twice')) ELSE '[]' END,
    'anomalies', CASE WHEN r_anom < 0.03 THEN '["identity_changes"]'::jsonb WHEN r_anom < 0.04 THEN '["imo_multiple_mmsi"]' WHEN r_anom < 0.045 THEN '["imo_check_digit"]' ELSE '[]' END)
FROM (
  SELECT i, r_susp, r_anom,
    mid * 1000000 + (i * 7919) % 1000000 AS mmsi,
    CASE WHEN r_imo < 0.9 THEN n * 10 + ((n / 100000 % 10) * 7 + (n / 10000 % 10) * 6 + (n / 1000 % 10) * 5 + (n / 100 % 10) * 4 + (n / 10 % 10) * 3 + (n % 10) * 2) % 10 END AS imo,
    (ARRAY['OCEAN','BLUE','SEA','STAR','GOLDEN','PACIFIC','NORTH','SILVER','GRACE','PEARL','EAGLE','ATLAS','DIAMOND','ARCTIC','ROYAL','LUCKY','CORAL','JADE','NOBLE','AURORA'])[1 + floor(r_w1 * 20)::int]
      || ' ' || (ARRAY['SPIRIT','PRIDE','GLORY','QUEEN','STAR','WAVE','VOYAGER','HORIZON','FORTUNE','TRADER','PIONEER','DREAM','LEGEND','VENTURE','HARMONY','BRIDGE','HOPE','WIND','DAWN','LION'])[1 + floor(r_w2 * 20)::int]
      || CASE WHEN r_num < 0.3 THEN ' ' || (1 + floor(r_num * 30))::int ELSE '' END AS name,
    upper(substr(md5(i::text), 1, 4 + i % 3)) AS callsign,
    CASE WHEN r_type < 0.45 THEN 80 + i % 10 WHEN r_type < 0.8 THEN 70 + i % 10 WHEN r_type < 0.88 THEN 30 WHEN r_type < 0.94 THEN 52 WHEN r_type < 0.97 THEN 60 END::smallint AS ship_type,
    flag,
    CASE WHEN r_list < 0.004 THEN ARRAY['ofac'] WHEN r_list < 0.006 THEN ARRAY['eu','ofac'] WHEN r_list < 0.008 THEN ARRAY['eu','gur','uk'] WHEN r_list < 0.01 THEN ARRAY['uk'] ELSE ARRAY[]::text[] END AS lists
  FROM (
    SELECT i, 900000 + (i * 37) % 100000 AS n, ($2::int[])[k] AS mid, ($3::text[])[k] AS flag, r_imo, r_type, r_list, r_susp, r_anom, r_w1, r_w2, r_num
    FROM (
      SELECT i, 1 + floor(random() * cardinality($2::int[]))::int AS k, random() AS r_imo, random() AS r_type, random() AS r_list,
             random() AS r_susp, random() AS r_anom, random() AS r_w1, random() AS r_w2, random() AS r_num
      FROM generate_series(0, $1::int - 1) AS i OFFSET 0
    ) draws
  ) f
) v`;

// $1 alerts, $2 fleet size, $3 first start, $4 span (ms), $5 regions (jsonb), $6 region slots.
// Layers, inside out: draws → meeting parameters (deduplicated on pair + start, the alert key,
// then cut to exactly $1 rows) → vessels and centroid → status, triage, profile → score factors.
const ALERTS_INSERT = `
INSERT INTO alerts (id, alert_key, type, status, mmsi_a, mmsi_b, vessel_a, vessel_b, start_at, end_at, duration_s, closest_m, median_m,
  median_sog_a, median_sog_b, centroid, in_port, score, score_factors, watchlists, profile, detector_version, event,
  retraction_reason, replaced_by, first_detected_at, updated_at, triage_state, triage_note, triaged_by, triaged_at, change_seq)
SELECT row_number() OVER (ORDER BY g), alert_key, 'rendezvous', status, mmsi_a, mmsi_b, vessel_a, vessel_b, start_at, end_at, duration_ms / 1000,
  closest_m, median_m, sog_a, sog_b, ST_SetSRID(ST_MakePoint(lon, lat), 4326), in_port, least(100, greatest(0, sf.total)), sf.factors, watchlists,
  profile, 'rendezvous-detection/1.0.0',
  jsonb_build_object('pairKey', mmsi_a || '-' || mmsi_b, 'a', mmsi_a, 'b', mmsi_b, 'start', start_ms, 'end', end_ms, 'durationMs', duration_ms,
    'closestDistanceM', closest_m, 'medianDistanceM', median_m, 'medianSpeedKnA', sog_a, 'medianSpeedKnB', sog_b,
    'centroid', jsonb_build_object('lon', lon, 'lat', lat), 'steps', duration_ms / 600000 + runs, 'runs', runs, 'inPort', in_port,
    'profile', profile, 'detectorVersion', 'rendezvous-detection/1.0.0'),
  CASE WHEN status = 'retracted' THEN CASE WHEN replaced_by IS NOT NULL THEN 'superseded by ' || replaced_by || ' (more data moved or merged the meeting)' ELSE 'no longer supported by the data' END END,
  replaced_by, detected_at, greatest(updated_at, triaged_at), triage_state,
  CASE triage_state WHEN 'acknowledged' THEN 'seen, watching the pair' WHEN 'escalated' THEN 'both tankers dark before and after; passed to the sanctions desk' WHEN 'dismissed' THEN 'bunkering by a licensed supplier' END,
  CASE WHEN triage_state <> 'new' THEN (ARRAY['alice','bob','chen','dana'])[1 + g % 4] END,
  triaged_at,
  row_number() OVER (ORDER BY greatest(updated_at, triaged_at), g)
FROM (
  SELECT q.*,
    mmsi_a || '-' || mmsi_b || '@' || to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS alert_key,
    CASE WHEN rst < 0.03 THEN 'retracted' WHEN end_ms > extract(epoch FROM $3::timestamptz)::bigint * 1000 + $4::bigint - 86400000 THEN 'ongoing' ELSE 'closed' END AS status,
    CASE WHEN rst < 0.015 THEN mmsi_a || '-' || mmsi_b || '@' || to_char((start_at - interval '30 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS replaced_by,
    detected_at + CASE WHEN rst < 0.03 THEN interval '1 day' ELSE interval '0' END AS updated_at,
    CASE WHEN rst < 0.03 OR rtri < 0.8 THEN 'new' WHEN rtri < 0.88 THEN 'acknowledged' WHEN rtri < 0.9 THEN 'escalated' ELSE 'dismissed' END AS triage_state,
    CASE WHEN rst >= 0.03 AND rtri >= 0.8 THEN detected_at + make_interval(mins => 10 + floor((rtri - 0.8) * 40000)::int) END AS triaged_at,
    CASE WHEN cardinality(watchlists) > 0 OR jsonb_array_length(vessel_a->'suspects') + jsonb_array_length(vessel_b->'suspects') > 0 THEN 'sensitive' ELSE 'gfw-encounter' END AS profile,
    CASE WHEN jsonb_array_length(vessel_a->'listMatches') > 0 THEN round(40 * (vessel_a->'listMatches'->0->>'confidence')::numeric)::int ELSE 0 END
      + CASE WHEN jsonb_array_length(vessel_a->'suspects') > 0 THEN 25 ELSE 0 END
      + CASE WHEN jsonb_array_length(vessel_b->'listMatches') > 0 THEN round(40 * (vessel_b->'listMatches'->0->>'confidence')::numeric)::int ELSE 0 END
      + CASE WHEN jsonb_array_length(vessel_b->'suspects') > 0 THEN 25 ELSE 0 END AS involvement
  FROM (
    SELECT m.g, m.rst, m.rtri, m.rnight, m.runs, m.duration_ms, m.start_ms, m.start_ms + m.duration_ms + m.gap_ms AS end_ms,
      to_timestamp(m.start_ms / 1000.0) AS start_at, to_timestamp((m.start_ms + m.duration_ms + m.gap_ms) / 1000.0) AS end_at,
      to_timestamp((m.start_ms + m.duration_ms + m.gap_ms) / 1000.0) + make_interval(mins => 5 + floor(m.rdet * 55)::int) AS detected_at,
      least(va.mmsi, vb.mmsi) AS mmsi_a, greatest(va.mmsi, vb.mmsi) AS mmsi_b,
      CASE WHEN va.mmsi < vb.mmsi THEN va.snapshot ELSE vb.snapshot END AS vessel_a,
      CASE WHEN va.mmsi < vb.mmsi THEN vb.snapshot ELSE va.snapshot END AS vessel_b,
      CASE WHEN va.mmsi < vb.mmsi THEN m.sog1 ELSE m.sog2 END AS sog_a, CASE WHEN va.mmsi < vb.mmsi THEN m.sog2 ELSE m.sog1 END AS sog_b,
      ARRAY(SELECT DISTINCT l FROM unnest(va.lists || vb.lists) l ORDER BY l) AS watchlists,
      va.ship_type AS type1, vb.ship_type AS type2, m.closest_m, m.median_m, m.in_port,
      round((CASE WHEN r.box IS NULL THEN r.lon + r."sdLon" * sqrt(-2 * ln(1 - m.rx)) * cos(2 * pi() * m.ry)
                  ELSE (r.box->>0)::float8 + m.rx * ((r.box->>2)::float8 - (r.box->>0)::float8) END)::numeric, 7)::float8 AS lon,
      round((CASE WHEN r.box IS NULL THEN r.lat + r."sdLat" * sqrt(-2 * ln(1 - m.rx)) * sin(2 * pi() * m.ry)
                  ELSE (r.box->>1)::float8 + m.ry * ((r.box->>3)::float8 - (r.box->>1)::float8) END)::numeric, 7)::float8 AS lat
    FROM (
      SELECT * FROM (
        SELECT DISTINCT ON (least(i1, i2), greatest(i1, i2), start_ms) *
        FROM (
          SELECT g, rst, rtri, rnight, rdet, rx, ry, region,
            floor(power(ra, 1.6) * $2::int)::int AS i1,
            (floor(power(ra, 1.6) * $2::int)::int + 1 + floor(rb * ($2::int - 1))::int) % $2::int AS i2,
            CASE WHEN rr < 0.15 THEN 2 ELSE 1 END AS runs,
            CASE WHEN rr < 0.15 THEN (6 + floor(rr / 0.15 * 17))::bigint * 600000 ELSE 0 END AS gap_ms,
            least(72, 12 + floor(-ln(1 - rd) * 8))::bigint * 600000 AS duration_ms,
            extract(epoch FROM $3::timestamptz)::bigint * 1000 + floor(((g - 1 + rt * 200) / $1::int) * $4::bigint / 600000)::bigint * 600000 AS start_ms,
            round((15 + power(rc, 1.5) * 485)::numeric, 2)::real AS closest_m,
            round((15 + power(rc, 1.5) * 485 + rm * (500 - 15 - power(rc, 1.5) * 485) * 0.6)::numeric, 2)::real AS median_m,
            round((rs1 * 1.9)::numeric, 3)::real AS sog1, round((rs2 * 1.9)::numeric, 3)::real AS sog2,
            rport < 0.01 AS in_port
          FROM (
            SELECT g, random() AS ra, random() AS rb, random() AS rt, random() AS rd, random() AS rr, random() AS rc, random() AS rm,
              random() AS rs1, random() AS rs2, random() AS rx, random() AS ry, random() AS rst, random() AS rtri, random() AS rport,
              random() AS rdet, random() AS rnight, ($6::int[])[1 + floor(random() * cardinality($6::int[]))::int] AS region
            FROM generate_series(1, $1::int + $1::int / 1000 + 10) AS g OFFSET 0
          ) draws
        ) meeting
        ORDER BY least(i1, i2), greatest(i1, i2), start_ms, g
      ) unique_keys
      ORDER BY g
      LIMIT $1::int
    ) m
    JOIN bench_fleet va ON va.i = m.i1
    JOIN bench_fleet vb ON vb.i = m.i2
    JOIN jsonb_to_recordset($5::jsonb) AS r(id int, lon float8, lat float8, "sdLon" float8, "sdLat" float8, box jsonb) ON r.id = m.region
  ) q
) s
CROSS JOIN LATERAL (
  SELECT coalesce(jsonb_agg(f ORDER BY ord), '[]') AS factors, coalesce(sum((f->>'points')::int), 0)::int AS total
  FROM (VALUES
    (1, CASE WHEN jsonb_array_length(vessel_a->'listMatches') > 0 THEN jsonb_build_object('factor', 'watchlist', 'points', round(40 * (vessel_a->'listMatches'->0->>'confidence')::numeric),
          'detail', (vessel_a->>'name') || ' (MMSI ' || mmsi_a || ') is on ' || (SELECT string_agg(x->>'list', ', ') FROM jsonb_array_elements(vessel_a->'listMatches') x)
          || ' (matched by ' || (vessel_a->'listMatches'->0->>'rule') || ', confidence ' || (vessel_a->'listMatches'->0->>'confidence') || ', listed as ' || (vessel_a->>'name') || ')') END),
    (2, CASE WHEN jsonb_array_length(vessel_a->'suspects') > 0 THEN jsonb_build_object('factor', 'suspect', 'points', 25,
          'detail', (vessel_a->>'name') || ' (MMSI ' || mmsi_a || ') is a suspect: ' || (vessel_a->'suspects'->0->>'reason')) END),
    (3, CASE WHEN jsonb_array_length(vessel_b->'listMatches') > 0 THEN jsonb_build_object('factor', 'watchlist', 'points', round(40 * (vessel_b->'listMatches'->0->>'confidence')::numeric),
          'detail', (vessel_b->>'name') || ' (MMSI ' || mmsi_b || ') is on ' || (SELECT string_agg(x->>'list', ', ') FROM jsonb_array_elements(vessel_b->'listMatches') x)
          || ' (matched by ' || (vessel_b->'listMatches'->0->>'rule') || ', confidence ' || (vessel_b->'listMatches'->0->>'confidence') || ', listed as ' || (vessel_b->>'name') || ')') END),
    (4, CASE WHEN jsonb_array_length(vessel_b->'suspects') > 0 THEN jsonb_build_object('factor', 'suspect', 'points', 25,
          'detail', (vessel_b->>'name') || ' (MMSI ' || mmsi_b || ') is a suspect: ' || (vessel_b->'suspects'->0->>'reason')) END),
    (5, CASE WHEN involvement > 60 THEN jsonb_build_object('factor', 'watchlist', 'points', 60 - involvement, 'detail', 'list and suspect involvement capped at 60 points') END),
    (6, CASE WHEN duration_ms >= 3 * 3600000 THEN jsonb_build_object('factor', 'duration', 'points', least(10, floor(duration_ms / 3600000.0 - 2) * 2),
          'detail', 'alongside for ' || to_char(duration_ms / 3600000.0, 'FM990.0') || ' h') END),
    (7, CASE WHEN closest_m <= 500 THEN jsonb_build_object('factor', 'tightness', 'points', CASE WHEN closest_m <= 100 THEN 10 WHEN closest_m <= 250 THEN 6 ELSE 3 END,
          'detail', 'closest approach ' || round(closest_m) || ' m (≤ ' || CASE WHEN closest_m <= 100 THEN 100 WHEN closest_m <= 250 THEN 250 ELSE 500 END || ' m)') END),
    (8, CASE WHEN type1 BETWEEN 80 AND 89 AND type2 BETWEEN 80 AND 89 THEN jsonb_build_object('factor', 'tanker_pair', 'points', 10, 'detail', 'both vessels report tanker ship types (80–89)')
             WHEN type1 BETWEEN 80 AND 89 OR type2 BETWEEN 80 AND 89 THEN jsonb_build_object('factor', 'tanker_pair', 'points', 4, 'detail', 'one vessel reports a tanker ship type (80–89)') END),
    (9, CASE WHEN round(8 * rnight) > 0 THEN jsonb_build_object('factor', 'night', 'points', round(8 * rnight), 'detail', round(rnight * 100) || '% of the meeting with the sun below the horizon at its location') END),
    (10, CASE WHEN jsonb_array_length(vessel_a->'anomalies') > 0 THEN jsonb_build_object('factor', 'identity_anomaly', 'points', 6, 'detail', (vessel_a->>'name') || ' (MMSI ' || mmsi_a || '): ' || (vessel_a->'anomalies'->>0)) END),
    (11, CASE WHEN jsonb_array_length(vessel_b->'anomalies') > 0 THEN jsonb_build_object('factor', 'identity_anomaly', 'points', 6, 'detail', (vessel_b->>'name') || ' (MMSI ' || mmsi_b || '): ' || (vessel_b->'anomalies'->>0)) END),
    (12, CASE WHEN in_port THEN jsonb_build_object('factor', 'in_port', 'points', -20, 'detail', 'within the port/anchorage radius: likely berthing, not a transfer at sea') END)
  ) AS v(ord, f)
  WHERE f IS NOT NULL
) sf
ORDER BY g`;

const TRIAGE_HISTORY_INSERT = `
INSERT INTO alert_triage_history (alert_id, from_state, to_state, note, actor, at)
SELECT id, 'new', triage_state, triage_note, triaged_by, triaged_at FROM alerts WHERE triage_state <> 'new' ORDER BY triaged_at, id`;

// Both vessels sail in at ~11 kn from their own bearings, lie within the closest/median distance
// of the centroid for the meeting, and sail off: [epoch ms, lon, lat, sog] as slice() writes them.
const EVIDENCE_INSERT = `
INSERT INTO alert_evidence (alert_id, margin_s, track_a, track_b, updated_at)
SELECT a.id, 3600, tr.track_a, tr.track_b, a.updated_at
FROM alerts a
CROSS JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_array(t, round((ST_X(a.centroid) + ea * sin(ba) / (111320 * cos(radians(ST_Y(a.centroid)))))::numeric, 6),
                                        round((ST_Y(a.centroid) + ea * cos(ba) / 111132)::numeric, 6), sa) ORDER BY k) AS track_a,
         jsonb_agg(jsonb_build_array(t, round((ST_X(a.centroid) + eb * sin(bb) / (111320 * cos(radians(ST_Y(a.centroid)))))::numeric, 6),
                                        round((ST_Y(a.centroid) + eb * cos(bb) / 111132)::numeric, 6), sb) ORDER BY k) AS track_b
  FROM (
    SELECT k, t,
      radians((a.id * 37) % 360) AS ba, radians((a.id * 53 + 180) % 360) AS bb,
      CASE WHEN t < s THEN (s - t) / 1000.0 * 11 * 0.5144 WHEN t > e THEN (t - e) / 1000.0 * 11 * 0.5144 ELSE a.median_m / 2 END AS ea,
      CASE WHEN t < s THEN (s - t) / 1000.0 * 10 * 0.5144 WHEN t > e THEN (t - e) / 1000.0 * 10 * 0.5144 ELSE a.median_m / 2 END AS eb,
      CASE WHEN t < s OR t > e THEN 11.2 ELSE round(coalesce(a.median_sog_a, 0)::numeric, 1) END AS sa,
      CASE WHEN t < s OR t > e THEN 10.1 ELSE round(coalesce(a.median_sog_b, 0)::numeric, 1) END AS sb
    FROM (SELECT extract(epoch FROM a.start_at)::bigint * 1000 AS s, extract(epoch FROM a.end_at)::bigint * 1000 AS e) se,
    LATERAL generate_series(0, $2::int - 1) AS k,
    LATERAL (SELECT se.s - 3600000 + k * (se.e - se.s + 7200000) / ($2::int - 1) AS t) tt
  ) p
) tr
WHERE a.id % $1::int = 0
ORDER BY a.id`;

const VESSELS_INSERT = `
INSERT INTO vessels (mmsi, imo, name, callsign, ship_type, flag, first_seen, last_seen, identity_at)
SELECT mmsi, imo, name, callsign, ship_type, flag, $1::timestamptz, $2::timestamptz, $1::timestamptz FROM bench_fleet`;
