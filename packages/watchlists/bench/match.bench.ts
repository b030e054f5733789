/**
 * Throughput of match(): 1,000,000 position lookups against 10,000 list entries.
 *   node packages/watchlists/bench/match.bench.ts [--lookups N] [--entries N] [--vessels N] [--reps R]
 *
 * Synthetic list (10,000 MatchEntry rows, like a merged OFAC+EU+UK+GUR import): 55% with a
 * valid IMO and name (a third of them with an MMSI valid from a listing date, some with a call
 * sign, some also ending at a delisting date), 15% MMSI + name without IMO, 20% name-only (UK
 * style, some with call signs), 10% alias rows sharing the entryId of an IMO row.
 * 20,000 distinct AIS vessels: ~4% match by IMO, ~4% by MMSI (half of those probed before the
 * listing date, so they must NOT match), ~3% by name + call sign, ~3% by name alone, the rest
 * match nothing (real traffic is overwhelmingly unlisted). 1,000,000 lookups draw a vessel and
 * a time (2015-2026) at random; the index, vessels and draws are built before timing.
 *
 * Timed (median of R runs after one warm-up; single core):
 *   match           this package, called once per position
 *   maps, no time   baseline: one Map per rule, precomputed name key, results concatenated
 *                   without the validity check, the IMO veto or de-duplication
 *   linear scan     baseline: every lookup scans all entries applying the same rules as
 *                   match (sampled on 2,000 lookups and extrapolated)
 * Prints a table, the ratios and one JSON line.
 */
import { mulberry32 } from '@rendezvous/test-support';
import { buildMatchIndex, match, normalizeVesselName, type MatchEntry, type VesselIdentity } from '../src/index.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const LOOKUPS = opt('lookups', 1_000_000);
const ENTRIES = opt('entries', 10_000);
const VESSELS = opt('vessels', 20_000);
const REPS = opt('reps', 5);
const SCAN_SAMPLE = 2_000;

const rnd = mulberry32(20260101); // seeded: reproducible runs
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const DAY = 86_400_000;
const T0 = Date.UTC(2015, 0, 1);
const T1 = Date.UTC(2026, 11, 31);
const randTime = (): number => T0 + Math.floor(rnd() * (T1 - T0));

function imoWithCheck(base6: number): number {
  const s = String(base6);
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(s[i]) * (7 - i);
  return base6 * 10 + (sum % 10);
}
const SYL = ['AL', 'BER', 'CAS', 'DOR', 'EN', 'FAL', 'GRA', 'HEL', 'IS', 'KOR', 'LU', 'MAR', 'NOR', 'OS', 'PAN', 'RIO', 'SAN', 'TOR', 'VEN', 'ZE'];
const randName = (): string => `${pick(SYL)}${pick(SYL)}${pick(SYL)} ${Math.floor(rnd() * 100)}`;
const randCallsign = (): string => `${pick(['5L', 'A8', 'V7', 'UB', '3E', 'D5'])}${Math.floor(rnd() * 1e4)}`;

// --- list entries ---------------------------------------------------------------------------
interface Listed {
  id: string;
  imo: number | null;
  mmsi: number | null;
  name: string;
  callsign: string | null;
  from: number | null;
  to: number | null;
}
const listed: Listed[] = [];
const entries: MatchEntry[] = [];
const usedImo = new Set<number>();
const usedMmsi = new Set<number>();
const freshImo = (): number => {
  for (;;) {
    const v = imoWithCheck(900000 + Math.floor(rnd() * 99999));
    if (!usedImo.has(v)) return usedImo.add(v), v;
  }
};
const freshMmsi = (): number => {
  for (;;) {
    const v = 200_000_000 + Math.floor(rnd() * 500_000_000);
    if (!usedMmsi.has(v)) return usedMmsi.add(v), v;
  }
};
while (entries.length < ENTRIES) {
  const r = rnd();
  const i = entries.length;
  if (r < 0.1 && listed.length > 0) {
    // alias row of an IMO entry
    const base = pick(listed.filter((l) => l.imo !== null).slice(-50));
    entries.push({ entryId: base.id, imo: base.imo, mmsi: null, nameKey: normalizeVesselName(randName()), callsign: null, validFrom: base.from, validTo: null });
    continue;
  }
  let l: Listed;
  if (r < 0.65) {
    const withMmsi = rnd() < 0.33;
    const from = withMmsi ? randTime() : null;
    l = { id: `e${i}`, imo: freshImo(), mmsi: withMmsi ? freshMmsi() : null, name: randName(), callsign: rnd() < 0.4 ? randCallsign() : null, from, to: from !== null && rnd() < 0.1 ? from + Math.floor(rnd() * 900) * DAY : null };
  } else if (r < 0.8) {
    const from = randTime();
    l = { id: `e${i}`, imo: null, mmsi: freshMmsi(), name: randName(), callsign: rnd() < 0.4 ? randCallsign() : null, from, to: null };
  } else {
    l = { id: `e${i}`, imo: null, mmsi: null, name: randName(), callsign: rnd() < 0.3 ? randCallsign() : null, from: null, to: null };
  }
  listed.push(l);
  entries.push({ entryId: l.id, imo: l.imo, mmsi: l.mmsi, nameKey: normalizeVesselName(l.name), callsign: l.callsign, validFrom: l.from, validTo: l.to });
}

// --- AIS vessels and lookups ----------------------------------------------------------------
const vessels: VesselIdentity[] = [];
const vesselKind: string[] = [];
for (let i = 0; i < VESSELS; i++) {
  const r = rnd();
  const other = { imo: rnd() < 0.5 ? imoWithCheck(100000 + Math.floor(rnd() * 799999)) : null, mmsi: freshMmsi(), name: randName(), callsign: randCallsign() };
  let v: VesselIdentity = other;
  let kind = 'none';
  if (r < 0.04) {
    const l = pick(listed.filter((x) => x.imo !== null).slice(0, 400));
    v = { ...other, imo: l.imo, name: `M/T ${l.name}` };
    kind = 'imo';
  } else if (r < 0.08) {
    const l = pick(listed.filter((x) => x.mmsi !== null).slice(0, 400));
    v = { ...other, imo: null, mmsi: l.mmsi!, name: null };
    kind = 'mmsi';
  } else if (r < 0.11) {
    const l = pick(listed.filter((x) => x.callsign !== null).slice(0, 400));
    v = { ...other, imo: null, name: l.name.toLowerCase(), callsign: l.callsign };
    kind = 'name_callsign';
  } else if (r < 0.14) {
    const l = pick(listed.filter((x) => x.imo === null).slice(0, 400));
    v = { ...other, imo: null, name: l.name };
    kind = 'name';
  }
  vessels.push(v);
  vesselKind.push(kind);
}
const draws = new Int32Array(LOOKUPS);
const times = new Float64Array(LOOKUPS);
for (let i = 0; i < LOOKUPS; i++) {
  draws[i] = Math.floor(rnd() * VESSELS);
  times[i] = randTime();
}

// --- the contenders -------------------------------------------------------------------------
const t0 = performance.now();
const index = buildMatchIndex(entries);
const buildMs = performance.now() - t0;

function runMatch(): { hits: number; byRule: Record<string, number> } {
  let hits = 0;
  const byRule: Record<string, number> = { imo: 0, mmsi: 0, name_callsign: 0, name: 0 };
  for (let i = 0; i < LOOKUPS; i++) {
    const res = match(index, vessels[draws[i]!]!, times[i]!);
    if (res.length > 0) {
      hits++;
      byRule[res[0]!.rule]!++;
    }
  }
  return { hits, byRule };
}

// Baseline A: a Map per rule, name key precomputed per vessel, no time check / veto / de-dup.
const mImo = new Map<number, string[]>();
const mMmsi = new Map<number, string[]>();
const mName = new Map<string, string[]>();
const add = <K>(m: Map<K, string[]>, k: K, id: string): void => {
  const l = m.get(k);
  if (l === undefined) m.set(k, [id]);
  else l.push(id);
};
for (const e of entries) {
  if (e.imo !== null) add(mImo, e.imo, e.entryId);
  if (e.mmsi !== null) add(mMmsi, e.mmsi, e.entryId);
  if (e.nameKey !== null) add(mName, e.nameKey, e.entryId);
}
const vesselNameKey = vessels.map((v) => normalizeVesselName(v.name));
function runMaps(): number {
  let hits = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const d = draws[i]!;
    const v = vessels[d]!;
    const out: string[] = [];
    const a = v.imo === null ? undefined : mImo.get(v.imo);
    if (a !== undefined) out.push(...a);
    const b = mMmsi.get(v.mmsi);
    if (b !== undefined) out.push(...b);
    const k = vesselNameKey[d];
    const c = k === null || k === undefined ? undefined : mName.get(k);
    if (c !== undefined) out.push(...c);
    if (out.length > 0) hits++;
  }
  return hits;
}

// Baseline B: linear scan over all entries per lookup, same rules as match().
function scanOne(v: VesselIdentity, key: string | null, at: number): number {
  const seen = new Set<string>();
  for (const e of entries) {
    if (v.imo !== null && e.imo === v.imo) seen.add(e.entryId);
    else if (v.imo !== null && e.imo !== null) continue;
    else if (e.mmsi === v.mmsi && (e.validFrom === null || at >= e.validFrom) && (e.validTo === null || at < e.validTo)) seen.add(e.entryId);
    else if (key !== null && e.nameKey === key && ((e.callsign !== null && e.callsign === v.callsign) || e.imo === null)) seen.add(e.entryId);
  }
  return seen.size;
}
function runScan(n: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const d = draws[i]!;
    if (scanOne(vessels[d]!, vesselNameKey[d] ?? null, times[i]!) > 0) hits++;
  }
  return hits;
}

function timeIt<T>(fn: () => T): { ms: number; result: T } {
  fn(); // warm-up
  const runs: number[] = [];
  let result!: T;
  for (let r = 0; r < REPS; r++) {
    const s = performance.now();
    result = fn();
    runs.push(performance.now() - s);
  }
  runs.sort((a, b) => a - b);
  return { ms: runs[Math.floor(runs.length / 2)]!, result };
}

const m = timeIt(runMatch);
const maps = timeIt(runMaps);
const scan = timeIt(() => runScan(SCAN_SAMPLE));
const scanMsExtrapolated = (scan.ms * LOOKUPS) / SCAN_SAMPLE;
const rate = (ms: number): number => LOOKUPS / (ms / 1000);

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
const kinds = vesselKind.reduce<Record<string, number>>((a, k) => ((a[k] = (a[k] ?? 0) + 1), a), {});
console.log(`entries ${entries.length} (${listed.length} listed vessels), distinct AIS vessels ${VESSELS} ${JSON.stringify(kinds)}, lookups ${LOOKUPS}, reps ${REPS}, node ${process.version}`);
console.log(`index build: ${buildMs.toFixed(1)} ms`);
console.log(`lookups with a match: ${m.result.hits} (first rule: ${JSON.stringify(m.result.byRule)})`);
console.log('');
console.log('| contender | time for lookups | positions/s |');
console.log('|---|---|---|');
console.log(`| match (this package) | ${m.ms.toFixed(0)} ms | ${fmt(rate(m.ms))} |`);
console.log(`| Map per rule, no time check | ${maps.ms.toFixed(0)} ms | ${fmt(rate(maps.ms))} |`);
console.log(`| linear scan (${SCAN_SAMPLE} sampled, extrapolated) | ${scanMsExtrapolated.toFixed(0)} ms | ${fmt(rate(scanMsExtrapolated))} |`);
console.log('');
console.log(`match vs Map-per-rule: ${(maps.ms / m.ms).toFixed(2)}x; match vs linear scan: ${(scanMsExtrapolated / m.ms).toFixed(0)}x`);
console.log(
  JSON.stringify({
    bench: 'watchlists.match',
    entries: entries.length,
    vessels: VESSELS,
    lookups: LOOKUPS,
    reps: REPS,
    indexBuildMs: Number(buildMs.toFixed(1)),
    matchMs: Number(m.ms.toFixed(1)),
    matchPerSec: Math.round(rate(m.ms)),
    mapsNoTimeCheckPerSec: Math.round(rate(maps.ms)),
    linearScanPerSec: Math.round(rate(scanMsExtrapolated)),
    ratioVsMaps: Number((maps.ms / m.ms).toFixed(2)),
    ratioVsLinearScan: Math.round(scanMsExtrapolated / m.ms),
    lookupsMatched: m.result.hits,
    node: process.version,
  }),
);
