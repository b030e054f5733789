// Seeding for the alerts API tests: alerts are written through the detector's own repository
// (createAlertRepository().upsert), so rows look exactly like the detector's.
import type { FastifyInstance } from 'fastify';
import { createAlertRepository, createTokenRepository, type AlertWrite, type DatabaseHandle } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../../services/api/src/app.ts';
import { openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';

export interface SeedAlert {
  key: string;
  a: number;
  b: number;
  /** Epoch ms. */
  start: number;
  hours: number;
  lon: number;
  lat: number;
  score: number;
  status?: 'ongoing' | 'closed';
  watchlists?: string[];
  imoA?: number | null;
  imoB?: number | null;
  nameA?: string | null;
  nameB?: string | null;
}

const HOUR = 3_600_000;
const STEP = 600_000;

export function alertWrite(s: SeedAlert): AlertWrite {
  const end = s.start + s.hours * HOUR;
  const vessel = (mmsi: number, imo: number | null | undefined, name: string | null | undefined) => ({
    mmsi,
    imo: imo ?? null,
    name: name ?? null,
    callsign: null,
    shipType: 80,
    flag: 'PA',
    listMatches: (s.watchlists ?? []).map((list) => ({ list, rule: 'imo', confidence: 1, entryName: name ?? null })),
    suspects: [],
    anomalies: [],
  });
  // Both tracks over the meeting plus an hour either side, every 10 minutes: [ms, lon, lat, sog].
  const track = (dLon: number) => {
    const rows: [number, number, number, number | null][] = [];
    for (let t = s.start - HOUR; t <= end + HOUR; t += STEP) rows.push([t, s.lon + dLon, s.lat, t < s.start || t > end ? 6.5 : 0.4]);
    return rows;
  };
  return {
    key: s.key,
    status: s.status ?? 'closed',
    event: {
      pairKey: `${s.a}-${s.b}`,
      a: s.a,
      b: s.b,
      start: s.start,
      end,
      durationMs: end - s.start,
      closestDistanceM: 120,
      medianDistanceM: 240,
      medianSpeedKnA: 0.4,
      medianSpeedKnB: 0.5,
      centroid: { lon: s.lon, lat: s.lat },
      steps: Math.round((end - s.start) / 600_000) + 1,
      runs: 1,
      inPort: false,
      profile: s.watchlists?.length ? 'sensitive' : 'standard',
      detectorVersion: 'test-1',
    },
    vesselA: vessel(s.a, s.imoA, s.nameA),
    vesselB: vessel(s.b, s.imoB, s.nameB),
    score: s.score,
    scoreFactors: [
      { factor: 'duration', points: Math.min(s.score, 30), detail: `alongside for ${s.hours.toFixed(1)} h` },
      { factor: 'tanker_pair', points: s.score - Math.min(s.score, 30), detail: 'both vessels report tanker ship types (80–89)' },
    ],
    watchlists: [...(s.watchlists ?? [])].sort(),
    evidence: { marginS: 3600, trackA: track(-0.001), trackB: track(0.001) },
  };
}

/** Upserts the alerts; returns their ids by key. */
export async function seedAlerts(database: DatabaseHandle, seeds: readonly SeedAlert[]): Promise<Map<string, number>> {
  await createAlertRepository(database.db).upsert(seeds.map(alertWrite));
  const rows = await database.db.selectFrom('alerts').select(['id', 'alert_key']).where('alert_key', 'in', seeds.map((s) => s.key)).execute();
  return new Map(rows.map((r) => [r.alert_key, Number(r.id)]));
}

export async function resetAlerts(database: DatabaseHandle): Promise<void> {
  await database.pool.query('TRUNCATE alert_triage_history, alert_evidence, alerts RESTART IDENTITY CASCADE');
}

export type Role = 'viewer' | 'analyst' | 'admin';

/** An app on the test stores with one token per role (rate limit out of the way). */
export async function alertTestApp(name: string) {
  const config = testConfig({ RATE_LIMIT_MAX: '1000000' });
  const database = openTestDatabase(config);
  const redis = createRedis(config.redis, quietLogger, 'producer');
  const repo = createTokenRepository(database.db);
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'analyst', 'admin'] as const) tokens[role] = (await repo.create({ role, name: `${role}-${name}` })).token;
  const app: FastifyInstance = await buildApp({ config, logger: quietLogger, database, redis });
  return {
    config,
    database,
    app,
    auth: (role: Role = 'viewer') => ({ authorization: `Bearer ${tokens[role]}` }),
    async close() {
      await app.close();
      redis.disconnect();
      await database.close();
    },
  };
}
