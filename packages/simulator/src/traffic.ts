/**
 * Background traffic: ships running along real shipping lanes and ships at anchor off ports. It is
 * built so it never produces an encounter by itself: ships under way always make ≥ 5 kn (so they can
 * only pass, never meet), and ships at anchor lie on a 2.5 km grid (so no two are ever within 500 m).
 */
import { type RateOptions, type ReportingProfile, type SimVessel, type TimeRange } from './emitter.ts';
import { offsetEastNorth, type LatLon } from '@rendezvous/geodesy';
import { AnchorTrack, LaneTrack, type Lane } from './kinematics.ts';
import type { Rng } from './prng.ts';
import type { PortTruth } from './truth.ts';
import type { ShipKind, VesselFactory } from './vessel-factory.ts';

export const LANES: readonly Lane[] = [
  {
    name: 'North Sea – Channel – Gibraltar',
    points: [
      { lat: 53.8, lon: 4.6 }, { lat: 51.9, lon: 3.0 }, { lat: 51.0, lon: 1.6 }, { lat: 49.9, lon: -2.5 },
      { lat: 48.6, lon: -5.6 }, { lat: 43.5, lon: -9.7 }, { lat: 36.9, lon: -9.3 }, { lat: 35.95, lon: -5.7 },
    ],
  },
  {
    name: 'Mediterranean – Suez',
    points: [{ lat: 35.95, lon: -5.4 }, { lat: 37.4, lon: 1.0 }, { lat: 37.5, lon: 10.5 }, { lat: 36.0, lon: 14.8 }, { lat: 33.8, lon: 24.0 }, { lat: 31.6, lon: 32.3 }],
  },
  {
    name: 'Red Sea – Arabian Sea – Hormuz',
    points: [{ lat: 29.7, lon: 32.6 }, { lat: 20.0, lon: 38.6 }, { lat: 12.6, lon: 43.3 }, { lat: 12.0, lon: 50.0 }, { lat: 18.5, lon: 58.5 }, { lat: 25.3, lon: 57.2 }, { lat: 26.5, lon: 56.4 }, { lat: 27.0, lon: 51.0 }],
  },
  {
    name: 'Malacca – Singapore – Hong Kong',
    points: [{ lat: 6.0, lon: 94.8 }, { lat: 4.2, lon: 99.5 }, { lat: 2.5, lon: 101.5 }, { lat: 1.2, lon: 103.7 }, { lat: 1.35, lon: 104.5 }, { lat: 6.0, lon: 106.5 }, { lat: 12.0, lon: 110.5 }, { lat: 21.9, lon: 114.5 }],
  },
  {
    name: 'East China Sea – Korea – Japan',
    points: [{ lat: 22.0, lon: 114.6 }, { lat: 25.5, lon: 120.6 }, { lat: 31.0, lon: 122.9 }, { lat: 34.8, lon: 128.8 }, { lat: 34.0, lon: 131.5 }, { lat: 34.6, lon: 139.8 }],
  },
  {
    name: 'North Pacific great circle (crosses 180°)',
    points: [{ lat: 34.8, lon: 140.2 }, { lat: 40.5, lon: 155.0 }, { lat: 46.5, lon: 170.0 }, { lat: 49.8, lon: -175.0 }, { lat: 50.6, lon: -160.0 }, { lat: 48.4, lon: -125.6 }],
  },
  {
    name: 'Gulf of Mexico – Florida Strait',
    points: [{ lat: 28.9, lon: -94.6 }, { lat: 26.5, lon: -90.0 }, { lat: 24.2, lon: -83.0 }, { lat: 24.6, lon: -80.2 }, { lat: 27.5, lon: -79.6 }, { lat: 31.0, lon: -79.0 }],
  },
];

export const PORTS: readonly (LatLon & { name: string })[] = [
  { name: 'Rotterdam (Maas anchorage)', lat: 52.05, lon: 3.55 },
  { name: 'Singapore Strait (eastern anchorages)', lat: 1.28, lon: 104.3 },
  { name: 'Fujairah anchorage', lat: 25.2, lon: 56.6 },
  { name: 'Galveston lightering area', lat: 28.9, lon: -94.2 },
  { name: 'Qingdao anchorage', lat: 35.9, lon: 120.6 },
];

/** Spacing of anchorage berths: well over the 500 m rule, so anchored neighbours never "meet". */
export const ANCHOR_SPACING_M = 2500;

export interface BackgroundOptions {
  count: number;
  /** Share of background vessels at anchor (default 0.2). */
  anchoredShare: number;
  /** Share of background vessels with Class B transponders (default 0.1). */
  classBShare: number;
  rates: RateOptions;
}

export interface BackgroundVessel extends SimVessel {
  motion: 'transit' | 'anchored';
  area: string;
}

const TRANSIT_KINDS: readonly ShipKind[] = ['tanker', 'tanker', 'tanker', 'cargo', 'cargo', 'cargo', 'container', 'container', 'passenger', 'fishing', 'tug'];
const SPEED_KN: Record<ShipKind, [number, number]> = {
  tanker: [10, 14.5],
  cargo: [10, 15],
  container: [14, 21],
  passenger: [14, 20],
  fishing: [7, 11],
  tug: [7, 11],
  pleasure: [5, 9],
  sailing: [5, 8],
};

/** Grid offsets (in berths) nearest the centre first, so a port's anchorage fills outwards. */
function berths(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let ring = 0; out.length < n; ring++) {
    const cells: [number, number][] = [];
    for (let i = -ring; i <= ring; i++) for (let j = -ring; j <= ring; j++) if (Math.max(Math.abs(i), Math.abs(j)) === ring) cells.push([i, j]);
    out.push(...cells);
  }
  return out.slice(0, n);
}

export function backgroundTraffic(
  rngFor: (label: string) => Rng,
  factory: VesselFactory,
  window: TimeRange,
  opts: BackgroundOptions,
): { vessels: BackgroundVessel[]; ports: PortTruth[] } {
  const rates = opts.rates;
  const anchored = Math.round(opts.count * opts.anchoredShare);
  const perPort = PORTS.map((_, i) => Math.floor(anchored / PORTS.length) + (i < anchored % PORTS.length ? 1 : 0));
  const grids = perPort.map((n) => berths(n));
  const used = PORTS.map(() => 0);
  const vessels: BackgroundVessel[] = [];
  for (let i = 0; i < opts.count; i++) {
    const key = `bg-${String(i).padStart(5, '0')}`;
    const r = rngFor(key);
    const satellite = r.chance(rates.satelliteShare) ? { minS: rates.satelliteGapS[0], maxS: rates.satelliteGapS[1] } : undefined;
    if (i < anchored) {
      const p = i % PORTS.length;
      const port = PORTS[p]!;
      const [gi, gj] = grids[p]![used[p]!++]!;
      const identity = factory.make(r.pick(['tanker', 'tanker', 'cargo', 'container'] as const));
      const berth = offsetEastNorth(port, gi * ANCHOR_SPACING_M, gj * ANCHOR_SPACING_M);
      vessels.push({
        key,
        identity,
        track: new AnchorTrack(berth, r.range(30, 120), r.range(0, 2 * Math.PI)),
        reporting: reporting(r, 'A', rates, satellite),
        motion: 'anchored',
        area: port.name,
      });
      continue;
    }
    const classB = r.chance(opts.classBShare);
    const kind: ShipKind = classB ? r.pick(['pleasure', 'sailing'] as const) : r.pick(TRANSIT_KINDS);
    const identity = factory.make(kind);
    const lane = r.pick(LANES);
    const [lo, hi] = SPEED_KN[kind];
    vessels.push({
      key,
      identity,
      track: new LaneTrack(lane, {
        startFraction: r.next(),
        speedKn: Math.round(r.range(lo, hi) * 10) / 10,
        direction: r.chance(0.5) ? 1 : -1,
        offsetM: r.range(-3000, 3000),
        t0Ms: window.startMs,
      }),
      reporting: reporting(r, identity.aisClass, rates, satellite),
      motion: 'transit',
      area: lane.name,
    });
  }
  const ports: PortTruth[] = PORTS.map((p, i) => {
    const n = perPort[i]!;
    const ring = n === 0 ? 0 : Math.max(...grids[i]!.map(([a, b]) => Math.hypot(a, b)));
    return { name: p.name, lat: p.lat, lon: p.lon, radiusKm: Math.round((ring * ANCHOR_SPACING_M + 500) / 100) / 10, anchored: n };
  });
  return { vessels, ports };
}

function reporting(r: Rng, aisClass: 'A' | 'B', rates: RateOptions, satellite: { minS: number; maxS: number } | undefined): ReportingProfile {
  const [lo, hi] = aisClass === 'A' ? rates.classAUnderwayS : rates.classBS;
  return {
    underwayS: r.int(lo, hi),
    stationaryS: rates.classAStationaryS,
    staticEveryS: rates.staticEveryS,
    ...(satellite ? { satellite } : {}),
  };
}
