// The detector warms its code up before its first job (window-detector.ts warmUp, issue 16): one
// run on synthetic traffic (services/detector/src/warm-up.ts) through every stage, reading the
// database as a run does and writing nothing. Checked here: the run finds each behaviour the
// traffic is made for (so each one's code is warmed), and nothing of it is stored.
import { afterAll, describe, expect, it } from 'vitest';
import { createPortLookup } from '@rendezvous/detection';
import { loadSanctioned, sanctionedPortEntries } from '@rendezvous/geography';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { WARM_UP_DAY } from '../../services/detector/src/warm-up.ts';
import { openTestDatabase, quietLogger } from '../support/harness.ts';

const database = openTestDatabase();
afterAll(() => database.close());

/** Rows the warm-up could have written: its MMSIs (1–60) or its day. */
async function warmUpRows(): Promise<Record<string, number>> {
  const day = new Date(WARM_UP_DAY);
  const count = async (sql: string, params: unknown[]) => Number((await database.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  return {
    alerts: await count('SELECT count(*) AS n FROM alerts WHERE mmsi_a <= 60 OR start_at < $1::timestamptz + interval \'2 days\'', [day]),
    pairVersions: await count('SELECT count(*) AS n FROM alert_pair_versions WHERE mmsi_a <= 60', []),
    portCalls: await count('SELECT count(*) AS n FROM port_calls WHERE mmsi <= 60 OR arrival < $1::timestamptz + interval \'2 days\'', [day]),
  };
}

describe('detector warm-up', () => {
  it('runs every behaviour on its synthetic traffic and writes nothing', async () => {
    const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
    const ports = sanctionedPortEntries({ countries: ['PRK'], portsFile: null, areasFile: null });
    const detector = createWindowDetector(database, quietLogger, { portCalls: createPortLookup(ports), sanctioned, knownPorts: ports });
    const before = await warmUpRows();
    const { result, alerts } = await detector.warmUp();
    expect(result.vessels).toBe(60);
    // Two meetings, gaps, a loiterer and a call at a sanctioned port.
    expect(alerts['rendezvous']).toBeGreaterThanOrEqual(2);
    expect(alerts['ais_gap']).toBeGreaterThanOrEqual(1);
    expect(alerts['loitering']).toBeGreaterThanOrEqual(1);
    expect(alerts['port_call_sanctioned']).toBe(1);
    expect(result.created).toBe(Object.values(alerts).reduce((a, b) => a + b, 0));
    expect(await warmUpRows()).toEqual(before);
  });

  it('runs without dark behaviours or ports', async () => {
    const detector = createWindowDetector(database, quietLogger, { darkActivity: false });
    const { alerts } = await detector.warmUp();
    expect(Object.keys(alerts)).toEqual(['rendezvous']);
  });
});
