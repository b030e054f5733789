// The enrich stage's identity anomalies (services/detector/src/stages/enrich-stage.ts, issue 16):
// the kinds whose query does not take the vessel list are read once per run and range, shared by
// the rendezvous, dark and port-call branches, instead of once per branch. Each branch must still
// get exactly what one read of every kind for its own vessels gives.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createIdentityRepository, createTrackRepository, type IdentityRepository } from '@rendezvous/db';
import { ANOMALY_KINDS } from '@rendezvous/identity';
import { createEnrichStage } from '../../services/detector/src/stages/enrich-stage.ts';
import { openTestDatabase, resetDetectionTables } from '../support/harness.ts';

const database = openTestDatabase();
afterAll(() => database.close());
beforeEach(() => resetDetectionTables(database));

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 4, 1);
const context = { from: T0, to: T0 + 24 * HOUR };
// A: an MMSI outside the ship range; B: two valid IMOs, one also claimed by D; C: an IMO that
// fails its check digit; E: nothing wrong.
const [A, B, C, D, E] = [100_000_001, 244_000_001, 244_000_002, 244_000_003, 244_000_004];

async function seed(): Promise<void> {
  const seen = [new Date(T0 + HOUR), new Date(T0 + 20 * HOUR)];
  for (const mmsi of [A, B, C, D, E]) {
    await database.pool.query('INSERT INTO vessels (mmsi, first_seen, last_seen, mmsi_invalid) VALUES ($1, $2, $3, $4)', [mmsi, ...seen, mmsi === A]);
  }
  const claims: [number, string][] = [
    [B, '9074729'],
    [B, '9176187'],
    [D, '9074729'],
    [C, '1234568'],
  ];
  for (const [mmsi, imo] of claims) await database.pool.query("INSERT INTO vessel_identity_history (mmsi, field, value, first_seen) VALUES ($1, 'imo', $2, $3)", [mmsi, imo, seen[0]]);
}

describe('enrich: identity anomalies of a run', () => {
  it('each branch gets what a read of every kind for its own vessels gives, and the kinds that ignore the vessel list are read once for all three', async () => {
    await seed();
    const identity = createIdentityRepository(database.db);
    const calls: Parameters<IdentityRepository['anomalousVessels']>[0][] = [];
    const counting = {
      anomalousVessels: (input: Parameters<IdentityRepository['anomalousVessels']>[0]) => {
        calls.push(input);
        return identity.anomalousVessels(input);
      },
    };
    const enrich = createEnrichStage({ evidence: createTrackRepository(database.pool), anomalies: counting }, { marginMs: HOUR });
    const branches = [[A, B], [C, D, B], [E]];
    const shared = enrich.forRun();
    const results = await Promise.all(
      branches.map((mmsis) => enrich(mmsis.map((mmsi) => ({ mmsi, start: T0 + 2 * HOUR, end: T0 + 4 * HOUR, noEvidence: true })), context, [], shared)),
    );

    // What the stage read before: every database kind at once, for the branch's vessels.
    const readKinds = ANOMALY_KINDS.filter((k) => !['shared_mmsi', 'fixed_pattern', 'on_land', 'sog_mismatch'].includes(k));
    for (const [i, mmsis] of branches.entries()) {
      const direct = await identity.anomalousVessels({ from: new Date(context.from), to: new Date(context.to), kinds: readKinds, mmsis });
      const expected = new Map(direct.filter((v) => mmsis.includes(v.mmsi)).map((v) => [v.mmsi, [...v.kinds]]));
      expect(results[i]!.anomalyKinds).toEqual(expected);
    }
    expect(results[0]!.anomalyKinds.get(A)).toContain('invalid_mmsi');
    expect(results[1]!.anomalyKinds.get(B)).toEqual(expect.arrayContaining(['imo_multiple_mmsi', 'mmsi_multiple_imo']));
    expect(results[1]!.anomalyKinds.get(C)).toContain('imo_check_digit');
    expect(results[2]!.anomalyKinds.has(E)).toBe(false);

    // Three branches: one read of the list-independent kinds, and the per-vessel one each.
    const ranged = calls.filter((c) => c.mmsis === undefined);
    expect(ranged).toHaveLength(1);
    expect(calls.filter((c) => c.mmsis !== undefined)).toHaveLength(3);
    // A run of its own (a fresh forRun) reads again: nothing is kept across runs.
    await enrich([{ mmsi: A, start: T0, end: T0 + HOUR, noEvidence: true }], context, []);
    expect(calls.filter((c) => c.mmsis === undefined)).toHaveLength(2);
  });
});
