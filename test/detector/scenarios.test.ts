import { afterAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '@rendezvous/ingest';
import { simulate } from '@rendezvous/simulator';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { writeSimulationFile } from '../support/simulation-file.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());

const GRID_MS = 10 * 60_000;

describe('scenarios: simulator → ingest → detector → alerts', () => {
  it('every scripted meeting is found once within one grid step of the truth, and nothing else', async () => {
    await resetIngestTables(database);
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    // 30 h from noon: the midnight scenario fits; two receivers exercise de-duplication.
    const sim = simulate({ start: '2025-06-01T12:00:00Z', hours: 30, vessels: 20, seed: 11, scenarios: 'all', receivers: 2 });
    const file = await writeSimulationFile(sim.lines, 'rzv-scen-');
    const summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
    expect(summary.rejected).toBe(0);
    expect(summary.receiverDuplicates).toBeGreaterThan(0);

    const detector = createWindowDetector(database, quietLogger, { now: () => Date.parse('2026-01-01T00:00:00Z') });
    const from = Date.parse(sim.truth.start);
    const to = Date.parse(sim.truth.end);
    for (let w = Math.floor(from / (6 * 3_600_000)) * 6 * 3_600_000; w < to; w += 6 * 3_600_000) {
      await detector.run({ from: new Date(w), to: new Date(w + 6 * 3_600_000) });
    }
    const { rows } = await database.pool.query("SELECT mmsi_a, mmsi_b, start_at, end_at FROM alerts WHERE type = 'rendezvous' AND status != 'retracted' ORDER BY start_at");
    const found = rows.map((r) => ({ pair: `${r.mmsi_a}-${r.mmsi_b}`, start: r.start_at.getTime(), end: r.end_at.getTime() }));
    const expected = sim.truth.meetings
      .filter((m) => m.expected)
      .map((m) => ({ scenario: m.scenario, pair: [...m.mmsis].sort((a, b) => a - b).join('-'), start: Date.parse(m.start!), end: Date.parse(m.end!) }));
    expect(expected.length).toBeGreaterThanOrEqual(7);
    // Exactly the expected pairs, each once.
    expect(found.map((f) => f.pair).sort()).toEqual(expected.map((e) => e.pair).sort());
    for (const e of expected) {
      const f = found.find((x) => x.pair === e.pair)!;
      expect(Math.abs(f.start - e.start), `${e.scenario} start`).toBeLessThanOrEqual(GRID_MS);
      expect(Math.abs(f.end - e.end), `${e.scenario} end`).toBeLessThanOrEqual(GRID_MS);
    }
    // The shared MMSI never appears in a rendezvous.
    for (const m of sim.truth.sharedMmsis) expect(rows.some((r) => r.mmsi_a === m || r.mmsi_b === m)).toBe(false);

    // Dark activity (issue 13): every alert the scenarios' truth expects is there, of its type,
    // between its vessels and overlapping its time; none it rules out is.
    const dark = (
      await database.pool.query(
        "SELECT type, mmsi_a, mmsi_b, start_at, end_at, event->>'kind' AS kind, score FROM alerts WHERE type <> 'rendezvous' AND status != 'retracted' ORDER BY start_at",
      )
    ).rows as { type: string; mmsi_a: number; mmsi_b: number | null; start_at: Date; end_at: Date; kind: string | null; score: number }[];
    const truths = sim.truth.scenarios.flatMap((sc) => (sc.expectedAlerts ?? []).filter((a) => a.type !== 'rendezvous').map((a) => ({ ...a, scenario: sc.name })));
    expect(truths.filter((t) => t.expected).length).toBeGreaterThanOrEqual(5);
    for (const t of truths) {
      const [from, to] = [Date.parse(t.start), Date.parse(t.end)];
      const matching = dark.filter(
        (d) =>
          d.type === t.type &&
          (t.kind === undefined || d.kind === t.kind) &&
          t.mmsis.every((m) => d.mmsi_a === m || d.mmsi_b === m) &&
          d.start_at.getTime() < to + HOUR_MS &&
          d.end_at.getTime() > from - HOUR_MS,
      );
      const label = `${t.scenario}: ${t.type}${t.kind ? `/${t.kind}` : ''} of ${t.mmsis.join(', ')} (${t.why})`;
      if (t.expected) expect(matching.length, label).toBe(1);
      else expect(matching, label).toEqual([]);
    }
    // Draught as cargo evidence: the meeting after which the Suezmax reports ≥ 2 m deeper carries a
    // draught_change factor naming it; the tanker whose draught typo reverted within the hour is in none.
    const draughtScenario = sim.truth.scenarios.find((sc) => sc.name === 'draught_after_meeting')!;
    const laden = draughtScenario.draughtChanges!.find((d) => d.expected)!;
    const typo = draughtScenario.draughtChanges!.find((d) => !d.expected)!;
    const meeting = (
      await database.pool.query("SELECT score_factors FROM alerts WHERE type = 'rendezvous' AND status != 'retracted' AND (mmsi_a = $1 OR mmsi_b = $1)", [laden.mmsi])
    ).rows;
    expect(meeting).toHaveLength(1);
    const draughtFactors = (meeting[0].score_factors as { factor: string; detail: string }[]).filter((f) => f.factor === 'draught_change');
    expect(draughtFactors).toHaveLength(1);
    expect(draughtFactors[0]!.detail).toContain(`MMSI ${laden.mmsi}`);
    const typoFactors = await database.pool.query("SELECT 1 FROM alerts, jsonb_array_elements(score_factors) f WHERE f->>'factor' = 'draught_change' AND f->>'detail' LIKE $1", [`%MMSI ${typo.mmsi}%`]);
    expect(typoFactors.rows).toEqual([]);
    // A coverage hole gives no alert of any kind for its vessel.
    const hole = sim.truth.scenarios.find((sc) => sc.name === 'coverage_hole_gap')!;
    expect(dark.filter((d) => hole.mmsis.includes(d.mmsi_a) || (d.mmsi_b !== null && hole.mmsis.includes(d.mmsi_b)))).toEqual([]);
  }, 240_000);
});

const HOUR_MS = 3_600_000;
