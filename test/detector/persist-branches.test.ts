// The window detector persists rendezvous and the dark behaviours in two transactions side by side
// (services/detector/src/stages/persist-stage.ts). Where they share a pair — a rendezvous and a
// dark rendezvous of the same two vessels — both claim it in alert_pair_versions. Here many runs of
// one window, each writing both branches at once, all start together: every one must finish (no
// deadlock between branches or runs: PostgreSQL would abort one with 40P01), and the alerts end
// up written once each, none retracted.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eventKey, type RendezvousEvent } from '@rendezvous/detection';
import { createAlertRepository, type AlertWrite, type BehaviourAlertWrite } from '@rendezvous/db';
import { createPersistStage } from '../../services/detector/src/stages/persist-stage.ts';
import { alertWrite } from '../api/alerts-seed.ts';
import { openTestDatabase, resetDetectionTables } from '../support/harness.ts';

const database = openTestDatabase();
afterAll(() => database.close());
beforeEach(() => resetDetectionTables(database));

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 5, 1);
const [A, B, C, D] = [636_000_001, 636_000_002, 636_000_003, 636_000_004];
const window = { from: new Date(T0), to: new Date(T0 + 24 * HOUR) };

/** A rendezvous write keyed as the detector keys it. */
function rendezvous(a: number, b: number, startHour: number): { event: RendezvousEvent; write: AlertWrite } {
  const w = alertWrite({ key: '', a, b, start: T0 + startHour * HOUR, hours: 3, lon: -30, lat: 45, score: 20 });
  const event = w.event as RendezvousEvent;
  return { event, write: { ...w, key: eventKey(event) } };
}

/** A one- or two-vessel alert of another type, owned by the window (its start, or ownedAt, in it). */
function behaviour(type: BehaviourAlertWrite['type'], a: number, b: number | null, startHour: number): BehaviourAlertWrite {
  const start = T0 + startHour * HOUR;
  const vessel = (mmsi: number) => ({ mmsi, imo: null, name: null, callsign: null, shipType: 80, flag: 'PA', listMatches: [], suspects: [], anomalies: [] });
  return {
    type,
    key: `${type}:${a}${b === null ? '' : `-${b}`}:${new Date(start).toISOString()}:test`,
    status: 'closed',
    event: { profile: 'dark-default', detectorVersion: 'test', ...(type === 'dark_rendezvous' ? { ownedAt: start } : {}) } as BehaviourAlertWrite['event'],
    mmsiA: a,
    mmsiB: b,
    vesselA: vessel(a),
    vesselB: b === null ? null : vessel(b),
    start,
    end: start + 6 * HOUR,
    centroid: { lon: -30, lat: 45 },
    inPort: false,
    closestM: null,
    medianM: null,
    medianSogA: null,
    medianSogB: null,
    score: 30,
    scoreFactors: [],
    watchlists: [],
    evidence: { marginS: 3600, trackA: [[start, -30, 45, 0.4]], trackB: b === null ? null : [[start, -30.01, 45, 0.3]] },
  };
}

describe('persisting the two branches side by side', () => {
  it('20 runs of one window, each writing a rendezvous and a dark rendezvous of the same pair at once, all finish and write each alert once', async () => {
    const alerts = createAlertRepository(database.db);
    const persist = createPersistStage({ alerts });
    const meetings = [rendezvous(A, B, 2), rendezvous(C, D, 5)];
    const owned = [
      { type: 'dark_rendezvous' as const, writes: [behaviour('dark_rendezvous', A, B, 10)] },
      { type: 'loitering' as const, writes: [behaviour('loitering', A, null, 9)] },
      { type: 'ais_gap' as const, writes: [behaviour('ais_gap', B, null, 10)] },
    ];

    const runs = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const run = { dataVersion: await alerts.nextDataVersion(), ...window };
        // As the window detector does: both branches at once, both awaited before the run ends.
        const [r, d] = await Promise.allSettled([
          persist.rendezvous(
            run,
            meetings.map((m) => m.event),
            meetings.map((m) => m.write),
          ),
          persist.owned(run, owned),
        ]);
        return { r, d };
      }),
    );
    const failures = runs.flatMap(({ r, d }) => [r, d]).filter((s) => s.status === 'rejected');
    expect(failures.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);

    // Each alert was created once over all the runs; later ones were unchanged or left as stale.
    const outcomes = runs.map(({ r, d }) => [(r as PromiseFulfilledResult<{ created: number; retracted: number }>).value, (d as PromiseFulfilledResult<{ created: number; retracted: number }>).value]);
    expect(outcomes.reduce((n, [r]) => n + r!.created, 0)).toBe(2);
    expect(outcomes.reduce((n, [, d]) => n + d!.created, 0)).toBe(3);
    expect(outcomes.every(([r, d]) => r!.retracted === 0 && d!.retracted === 0)).toBe(true);

    const { rows } = await database.pool.query<{ type: string; status: string; n: number }>('SELECT type, status, count(*)::int AS n FROM alerts GROUP BY 1, 2 ORDER BY 1, 2');
    expect(rows).toEqual([
      { type: 'ais_gap', status: 'closed', n: 1 },
      { type: 'dark_rendezvous', status: 'closed', n: 1 },
      { type: 'loitering', status: 'closed', n: 1 },
      { type: 'rendezvous', status: 'closed', n: 2 },
    ]);
    // Both branches claimed (A, B), each one-vessel alert its (mmsi, mmsi).
    const versions = await database.pool.query<{ a: number; b: number }>('SELECT mmsi_a AS a, mmsi_b AS b FROM alert_pair_versions WHERE mmsi_a = ANY($1::int[]) ORDER BY 1, 2', [[A, B, C, D]]);
    expect(versions.rows).toEqual([
      { a: A, b: A },
      { a: A, b: B },
      { a: B, b: B },
      { a: C, b: D },
    ]);
  });
});
