/**
 * Matching AIS vessels against list entries (the hot path of screening: every position's
 * vessel is looked up; callers cache per vessel, but match() itself must do millions/s).
 *
 * Rules, strongest first; each entry is returned once, with the strongest rule it meets:
 *   imo           1.0  the vessel's IMO is valid (check digit) and equals the entry's. An IMO
 *                      never changes hands, so no time check.
 *   mmsi          0.9  same MMSI and atMs in [validFrom, validTo). MMSIs are reassigned (e.g.
 *                      636011916: a ship in the 2010 DMA stream, the tanker KAZAN in OFAC's
 *                      2024 list); a list's MMSI pairing counts from its validFrom, which for a
 *                      designation is the listing date when known. null bounds are open.
 *   name_callsign 0.7  same normalised name (normalizeVesselName) and same call sign.
 *   name          0.4  same normalised name, only for entries that give no IMO (the UK list,
 *                      OFAC/EU rows without one): where a list gives an IMO, a name alone is
 *                      too weak (names like ARIA or ARIADNE recur across fleets).
 * Contradiction guard: if the vessel has a valid IMO and the entry has a different one, the
 * entry is a different hull and the weaker rules (mmsi, name) do not apply to it.
 * AIS names are 20 characters: an entry name longer than that also matches by its first 20
 * characters, for vessel names of 16-20 characters that miss exactly.
 *
 * Layout: entries in typed arrays (struct of arrays), Maps from IMO / MMSI / name key to entry
 * numbers, a per-entryId "stamp" for de-duplication without allocating a Set per call, and a
 * bounded cache of vessel name → key. A call that matches nothing allocates nothing.
 */
import { AIS_NAME_LENGTH, normalizeVesselName } from './normalize.ts';
import { isoDateToMs } from './fields.ts';
import type { ListedVessel, MatchEntry, MatchResult, VesselIdentity } from './types.ts';

export const CONFIDENCE = { imo: 1.0, mmsi: 0.9, name_callsign: 0.7, name: 0.4 } as const;

const NAME_CACHE_MAX = 200_000;
const EMPTY: readonly MatchResult[] = Object.freeze([]);

export interface MatchIndex {
  readonly size: number;
  /** @internal */ readonly entImo: Int32Array;
  /** @internal */ readonly entMmsi: Int32Array;
  /** @internal */ readonly entFrom: Float64Array;
  /** @internal */ readonly entTo: Float64Array;
  /** @internal */ readonly entSlot: Int32Array;
  /** @internal */ readonly entCallsign: (string | null)[];
  /** @internal */ readonly slotIds: string[];
  /** @internal */ readonly slotStamp: Float64Array;
  /** @internal */ readonly byImo: Map<number, number[]>;
  /** @internal */ readonly byMmsi: Map<number, number[]>;
  /** @internal */ readonly byName: Map<string, number[]>;
  /** @internal */ readonly byNameCut: Map<string, number[]>;
  /** @internal */ readonly nameCache: Map<string, string | null>;
  /** @internal */ stamp: number;
}

/** IMO check digit on a number, without allocating (cf. isValidImo in @rendezvous/ais). */
export function isValidImoNumber(n: number): boolean {
  if (!Number.isInteger(n) || n < 1_000_000 || n > 9_999_999) return false;
  const check = n % 10;
  let rest = (n - check) / 10;
  let sum = 0;
  for (let w = 2; w <= 7; w++) {
    const d = rest % 10;
    sum += d * w;
    rest = (rest - d) / 10;
  }
  return sum % 10 === check;
}

/** Call signs compare upper-case without spaces ("5IM 592" = "5IM592"). */
export function normalizeCallsign(cs: string | null | undefined): string | null {
  if (cs === null || cs === undefined) return null;
  const t = /^[A-Z0-9]+$/.test(cs) ? cs : cs.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return t === '' ? null : t;
}

function push(map: Map<number, number[]> | Map<string, number[]>, key: number | string, e: number): void {
  const m = map as Map<number | string, number[]>;
  const list = m.get(key);
  if (list === undefined) m.set(key, [e]);
  else if (!list.includes(e)) list.push(e);
}

/**
 * Builds the index. `nameKey` must be normalizeVesselName() output; an `imo` that fails the
 * check digit is not indexed; several entries may share an entryId (one per alias) and are
 * then reported once.
 */
export function buildMatchIndex(entries: readonly MatchEntry[]): MatchIndex {
  const n = entries.length;
  const entImo = new Int32Array(n).fill(-1);
  const entMmsi = new Int32Array(n).fill(-1);
  const entFrom = new Float64Array(n);
  const entTo = new Float64Array(n);
  const entSlot = new Int32Array(n);
  const entCallsign: (string | null)[] = new Array<string | null>(n).fill(null);
  const slotOf = new Map<string, number>();
  const slotIds: string[] = [];
  const byImo = new Map<number, number[]>();
  const byMmsi = new Map<number, number[]>();
  const byName = new Map<string, number[]>();
  const byNameCut = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    let slot = slotOf.get(e.entryId);
    if (slot === undefined) {
      slot = slotIds.length;
      slotIds.push(e.entryId);
      slotOf.set(e.entryId, slot);
    }
    entSlot[i] = slot;
    entFrom[i] = e.validFrom ?? -Infinity;
    entTo[i] = e.validTo ?? Infinity;
    entCallsign[i] = normalizeCallsign(e.callsign);
    if (e.imo !== null && isValidImoNumber(e.imo)) {
      entImo[i] = e.imo;
      push(byImo, e.imo, i);
    }
    if (e.mmsi !== null && Number.isInteger(e.mmsi) && e.mmsi > 0 && e.mmsi <= 999_999_999) {
      entMmsi[i] = e.mmsi;
      push(byMmsi, e.mmsi, i);
    }
    if (e.nameKey !== null && e.nameKey !== '') {
      push(byName, e.nameKey, i);
      if (e.nameKey.length > AIS_NAME_LENGTH) push(byNameCut, e.nameKey.slice(0, AIS_NAME_LENGTH).trimEnd(), i);
    }
  }
  return {
    size: n,
    entImo,
    entMmsi,
    entFrom,
    entTo,
    entSlot,
    entCallsign,
    slotIds,
    slotStamp: new Float64Array(slotIds.length),
    byImo,
    byMmsi,
    byName,
    byNameCut,
    nameCache: new Map(),
    stamp: 0,
  };
}

function nameKeyOf(index: MatchIndex, name: string): string | null {
  const cached = index.nameCache.get(name);
  if (cached !== undefined) return cached;
  const key = normalizeVesselName(name);
  if (index.nameCache.size >= NAME_CACHE_MAX) index.nameCache.clear();
  index.nameCache.set(name, key);
  return key;
}

/**
 * All entries the vessel matches at time atMs (epoch ms), strongest rule per entry, in rule
 * order. Returns a shared empty array when nothing matches (do not mutate it).
 */
export function match(index: MatchIndex, vessel: VesselIdentity, atMs: number): MatchResult[] {
  const stamp = ++index.stamp;
  const slotStamp = index.slotStamp;
  const entSlot = index.entSlot;
  const entImo = index.entImo;
  let out: MatchResult[] | null = null;

  const vImo = vessel.imo;
  const imoOk = vImo !== null && isValidImoNumber(vImo);
  if (imoOk) {
    const list = index.byImo.get(vImo);
    if (list !== undefined) {
      for (let k = 0; k < list.length; k++) {
        const slot = entSlot[list[k]!]!;
        if (slotStamp[slot] === stamp) continue;
        slotStamp[slot] = stamp;
        (out ??= []).push({ entryId: index.slotIds[slot]!, rule: 'imo', confidence: CONFIDENCE.imo });
      }
    }
  }

  const mList = index.byMmsi.get(vessel.mmsi);
  if (mList !== undefined) {
    for (let k = 0; k < mList.length; k++) {
      const e: number = mList[k]!;
      const slot = entSlot[e]!;
      if (slotStamp[slot] === stamp) continue;
      if (imoOk && entImo[e] !== -1 && entImo[e] !== vImo) continue;
      if (atMs < index.entFrom[e]! || atMs >= index.entTo[e]!) continue;
      slotStamp[slot] = stamp;
      (out ??= []).push({ entryId: index.slotIds[slot]!, rule: 'mmsi', confidence: CONFIDENCE.mmsi });
    }
  }

  if (vessel.name !== null && vessel.name !== '' && index.byName.size > 0) {
    const key = nameKeyOf(index, vessel.name);
    if (key !== null) {
      let nList = index.byName.get(key);
      if (nList === undefined && key.length >= AIS_NAME_LENGTH - 4) nList = index.byNameCut.get(key);
      if (nList !== undefined) {
        const cs = vessel.callsign === null ? null : normalizeCallsign(vessel.callsign);
        // Two passes so an entry's call-sign match (0.7) wins over its name-only alias (0.4).
        if (cs !== null) {
          for (let k = 0; k < nList.length; k++) {
            const e: number = nList[k]!;
            const slot = entSlot[e]!;
            if (slotStamp[slot] === stamp) continue;
            if (imoOk && entImo[e] !== -1 && entImo[e] !== vImo) continue;
            if (index.entCallsign[e] !== cs) continue;
            slotStamp[slot] = stamp;
            (out ??= []).push({ entryId: index.slotIds[slot]!, rule: 'name_callsign', confidence: CONFIDENCE.name_callsign });
          }
        }
        for (let k = 0; k < nList.length; k++) {
          const e: number = nList[k]!;
          const slot = entSlot[e]!;
          if (slotStamp[slot] === stamp) continue;
          if (entImo[e] !== -1) continue;
          slotStamp[slot] = stamp;
          (out ??= []).push({ entryId: index.slotIds[slot]!, rule: 'name', confidence: CONFIDENCE.name });
        }
      }
    }
  }
  return out ?? (EMPTY as MatchResult[]);
}

/**
 * One MatchEntry per name/alias of a listed vessel (entryId defaults to "<source>:<key>").
 * The first carries IMO, MMSI and call sign; alias entries carry the IMO too (so the
 * contradiction guard and the name-only rule see it) but not the MMSI. validFrom = listedAt
 * (UTC midnight) when the list gives it, else null (unbounded: undated lists such as GUR pair
 * the MMSI at any time; set validFrom yourself if you know better). Company subjects (UN) get
 * no IMO or MMSI. Former MMSIs (mmsiLegacy) are not indexed: the lists give no dates for
 * them, and a former MMSI is by definition one that may now belong to another ship.
 */
export function toMatchEntries(v: ListedVessel, entryId = `${v.source}:${v.key}`): MatchEntry[] {
  const from = isoDateToMs(v.listedAt);
  const imo = v.subject === 'vessel' ? v.imo : null;
  const out: MatchEntry[] = [
    { entryId, imo, mmsi: v.subject === 'vessel' ? v.mmsi : null, nameKey: normalizeVesselName(v.name), callsign: v.callsign, validFrom: from, validTo: null },
  ];
  const seen = new Set<string>([out[0]!.nameKey ?? '']);
  for (const a of v.aliases) {
    const k = normalizeVesselName(a);
    if (k === null || seen.has(k)) continue;
    seen.add(k);
    out.push({ entryId, imo, mmsi: null, nameKey: k, callsign: null, validFrom: from, validTo: null });
  }
  return out;
}
