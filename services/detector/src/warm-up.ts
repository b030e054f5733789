import type { AlertRepository, BucketedPositions, ColumnarPositions } from '@rendezvous/db';

/**
 * Synthetic traffic for the detector's warm-up run (createWindowDetector().warmUp()): a day of
 * 2000-01-03 in the open North Atlantic, made so that each behaviour's code does its full work —
 * two meetings (one vessel of the second goes dark after it), a drifting loiterer, a vessel silent
 * for 13 hours at sea, one lying at a known port (the first of PORTS_FILE or the sanctioned
 * ports, if any), and fifty vessels under way. MMSIs 1–60 (not valid MMSIs) and a time long before
 * any stored data: the database reads of the run find nothing of theirs.
 */
export const WARM_UP_DAY = Date.UTC(2000, 0, 3);

const HOUR = 3_600_000;
const BUCKET = 600_000;
const REPORT = 60_000;
const KN = 1852 / 3600;
const VESSELS = 60;

interface Leg {
  /** Position (lon, lat) at time t (ms). */
  at(t: number): [number, number];
  /** Speed over ground (kn) at t. */
  sog(t: number): number;
  /** No report in [silentFrom, silentTo). */
  silentFrom?: number;
  silentTo?: number;
}

const offset = (lon: number, lat: number, courseDeg: number, metres: number): [number, number] => {
  const c = (courseDeg * Math.PI) / 180;
  return [lon + (metres * Math.sin(c)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (metres * Math.cos(c)) / 111_132];
};

/** Sails at `kn` on `course` towards (lon, lat), lies there (drifting at 0.3 kn) over [start, end], then sails on. */
function meeting(lon: number, lat: number, course: number, kn: number, start: number, end: number): Leg {
  return {
    at: (t) => {
      if (t < start) return offset(lon, lat, course + 180, (start - t) / 1000 * kn * KN);
      if (t <= end) return offset(lon, lat, (t / 60_000) % 360, 20 + ((t - start) / 1000) * 0.3 * KN * 0.01);
      return offset(lon, lat, course, ((t - end) / 1000) * kn * KN);
    },
    sog: (t) => (t >= start && t <= end ? 0.3 : kn),
  };
}

function sailing(lon: number, lat: number, course: number, kn: number, t0: number): Leg {
  return {
    // A course change every 3 h.
    at: (t) => {
      let [x, y] = [lon, lat];
      let c = course;
      let s = t0;
      while (t - s > 3 * HOUR) {
        [x, y] = offset(x, y, c, 3 * 3600 * kn * KN);
        s += 3 * HOUR;
        c = (c + 35) % 360;
      }
      return offset(x, y, c, ((t - s) / 1000) * kn * KN);
    },
    sog: () => kn,
  };
}

function legs(day: number, port: { lon: number; lat: number } | null): Leg[] {
  let seed = 7;
  const r = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const out: Leg[] = [];
  // Two meetings: 150 m apart, 3.5 h, nearly still.
  out.push(meeting(-30.5, 45.2, 0, 10, day + 8 * HOUR, day + 11.5 * HOUR));
  out.push(meeting(-30.498, 45.2, 180, 11, day + 8 * HOUR, day + 11.5 * HOUR));
  out.push(meeting(-29.2, 44.1, 90, 9, day + 15 * HOUR, day + 18 * HOUR));
  out.push({ ...meeting(-29.198, 44.1, 270, 12, day + 15 * HOUR, day + 18 * HOUR), silentFrom: day + 18.5 * HOUR, silentTo: day + 32 * HOUR });
  // A loiterer lying 05:00–13:00.
  out.push(meeting(-31.3, 44.6, 45, 8, day + 5 * HOUR, day + 13 * HOUR));
  // A vessel silent for 13 h at sea.
  out.push({ ...sailing(-30.2, 45.3, 250, 12, day - 12 * HOUR), silentFrom: day + 3 * HOUR, silentTo: day + 16 * HOUR });
  // A call at a known port: in from 40 km at 10 kn, alongside 06:00–20:00, out again.
  if (port) out.push(meeting(port.lon, port.lat, 0, 10, day + 6 * HOUR, day + 20 * HOUR));
  while (out.length < VESSELS) out.push(sailing(-32 + 4 * r(), 43.5 + 3 * r(), 360 * r(), 6 + 9 * r(), day - 12 * HOUR));
  return out;
}

/** The 10-minute buckets (first and last report) of the traffic over [from, to), as loadBuckets returns them. */
export function warmUpBuckets(range: { from: Date; to: Date }, port: { lon: number; lat: number } | null): BucketedPositions[] {
  const from = Math.ceil(range.from.getTime() / BUCKET) * BUCKET;
  const to = range.to.getTime();
  return legs(WARM_UP_DAY, port).map((leg, i) => {
    const n = Math.max(0, Math.ceil((to - from) / BUCKET)) * 2;
    const p: BucketedPositions = { mmsi: i + 1, t: new Float64Array(n), lon: new Float64Array(n), lat: new Float64Array(n), sog: new Float64Array(n), maxSpreadM: 0 };
    let k = 0;
    for (let b = from; b < to; b += BUCKET) {
      const first = b;
      const last = b + BUCKET - REPORT;
      if (leg.silentFrom !== undefined && first >= leg.silentFrom && first < leg.silentTo!) continue;
      for (const t of [first, last]) {
        const [lon, lat] = leg.at(t);
        [p.t[k], p.lon[k], p.lat[k], p.sog[k]] = [t, lon, lat, leg.sog(t)];
        k++;
      }
      const dx = (p.lon[k - 1]! - p.lon[k - 2]!) * 111_320 * Math.cos((p.lat[k - 1]! * Math.PI) / 180);
      const dy = (p.lat[k - 1]! - p.lat[k - 2]!) * 111_132;
      p.maxSpreadM = Math.max(p.maxSpreadM, Math.hypot(dx, dy));
    }
    return { ...p, t: p.t.subarray(0, k), lon: p.lon.subarray(0, k), lat: p.lat.subarray(0, k), sog: p.sog.subarray(0, k) };
  });
}

/**
 * The traffic's raw reports, one a minute, over each span [from, to] (inclusive; as
 * TrackRepository.loadSpans returns them), for the warm-up's evidence reads.
 */
export function warmUpReports(spans: readonly { mmsi: number; from: number; to: number }[], port: { lon: number; lat: number } | null): Map<number, ColumnarPositions> {
  const all = legs(WARM_UP_DAY, port);
  const out = new Map<number, ColumnarPositions>();
  for (const s of spans) {
    const leg = all[s.mmsi - 1];
    if (!leg) continue;
    const times: number[] = [];
    for (let t = Math.ceil(s.from / REPORT) * REPORT; t <= s.to; t += REPORT) {
      if (leg.silentFrom !== undefined && t >= leg.silentFrom && t < leg.silentTo!) continue;
      times.push(t);
    }
    const p: ColumnarPositions = { mmsi: s.mmsi, t: Float64Array.from(times), lon: new Float64Array(times.length), lat: new Float64Array(times.length), sog: new Float64Array(times.length) };
    times.forEach((t, i) => {
      [p.lon[i], p.lat[i]] = leg.at(t);
      // A report without SOG now and then, as real feeds have.
      p.sog[i] = i % 17 === 5 ? Number.NaN : leg.sog(t);
    });
    out.set(s.mmsi, p);
  }
  return out;
}

/**
 * An alert store that writes nothing: each reconcile plans its writes against no stored alert
 * and builds their statements without sending them (the planning and statement-building code
 * runs), and reports them as created; `planned` counts them by
 * alert type.
 */
export function dryAlertStore(alerts: Pick<AlertRepository, 'compileWrites'>): { store: Pick<AlertRepository, 'reconcile'>; planned: Record<string, number> } {
  const planned: Record<string, number> = {};
  const count = (type: string, n: number) => {
    if (n > 0) planned[type] = (planned[type] ?? 0) + n;
  };
  return {
    planned,
    store: {
      async reconcile(run) {
        const planned = run.plan ? run.plan([], () => true).upserts : [];
        alerts.compileWrites([...planned, ...(run.owned ?? []).flatMap((o) => o.writes)]);
        const upserts = planned.length;
        count('rendezvous', upserts);
        for (const o of run.owned ?? []) count(o.type, o.writes.length);
        const owned = (run.owned ?? []).reduce((n, o) => n + o.writes.length, 0);
        return { created: upserts + owned, updated: 0, unchanged: 0, retracted: 0, stale: 0 };
      },
    },
  };
}
