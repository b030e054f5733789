/**
 * Plausible vessel identities: 9-digit MMSIs under real, allocated MIDs, IMO numbers whose check
 * digit is valid, call signs with their flag's ITU prefix, names, ship types and dimensions that
 * fit the type. Unique within a run (except where a scenario shares an MMSI on purpose).
 */
import { classifyMmsi } from '@rendezvous/ais';
import type { Rng } from './prng.ts';

export type AisClass = 'A' | 'B';
export type ShipKind = 'tanker' | 'cargo' | 'container' | 'passenger' | 'fishing' | 'tug' | 'pleasure' | 'sailing';

export interface VesselIdentity {
  mmsi: number;
  /** null for Class B craft (no IMO number). */
  imo: number | null;
  name: string;
  callsign: string;
  /** AIS ship-and-cargo type (tankers 80–89, cargo 70–79, …). */
  shipType: number;
  kind: ShipKind;
  aisClass: AisClass;
  /** ISO 3166 alpha-2 of the MID's territory. */
  flag: string;
  lengthM: number;
  beamM: number;
  dimBow: number;
  dimStern: number;
  dimPort: number;
  dimStarboard: number;
  draughtM: number | null;
  destination: string | null;
}

/** Flags by MID with their call-sign prefixes; the second group is the usual shadow-fleet registries. */
const FLAGS: readonly { mids: readonly number[]; prefixes: readonly string[] }[] = [
  { mids: [636], prefixes: ['A8', 'D5', 'EL'] }, // Liberia
  { mids: [538], prefixes: ['V7'] }, // Marshall Islands
  { mids: [351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373], prefixes: ['3E', '3F', 'H3', 'HO', 'HP'] }, // Panama
  { mids: [215, 229, 248, 249, 256], prefixes: ['9H'] }, // Malta
  { mids: [477], prefixes: ['VR'] }, // Hong Kong
  { mids: [563, 564, 565, 566], prefixes: ['9V'] }, // Singapore
  { mids: [237, 239, 240, 241], prefixes: ['SV', 'SX'] }, // Greece
  { mids: [209, 210, 212], prefixes: ['5B', 'C4'] }, // Cyprus
  { mids: [311], prefixes: ['C6'] }, // Bahamas
  { mids: [244, 245, 246], prefixes: ['PD', 'PH'] }, // Netherlands
  { mids: [257, 258, 259], prefixes: ['LA', 'LN'] }, // Norway
  { mids: [219, 220], prefixes: ['OU', 'OZ'] }, // Denmark
  { mids: [412, 413, 414], prefixes: ['BO', 'BP'] }, // China
  { mids: [440, 441], prefixes: ['DS', 'D7'] }, // Korea
];
const SHADOW_FLAGS: readonly { mids: readonly number[]; prefixes: readonly string[] }[] = [
  { mids: [613], prefixes: ['TJ'] }, // Cameroon
  { mids: [626], prefixes: ['TR'] }, // Gabon
  { mids: [620], prefixes: ['D6'] }, // Comoros
  { mids: [518], prefixes: ['E5'] }, // Cook Islands
  { mids: [511], prefixes: ['T8'] }, // Palau
  { mids: [671], prefixes: ['5V'] }, // Togo
  { mids: [667], prefixes: ['9L'] }, // Sierra Leone
  { mids: [273], prefixes: ['UB', 'UG'] }, // Russia
];

const FIRST = ['OCEAN', 'NORDIC', 'PACIFIC', 'ATLANTIC', 'GOLDEN', 'SILVER', 'EASTERN', 'SEA', 'STAR', 'BLUE', 'GRAND', 'ROYAL', 'ARCTIC', 'CORAL', 'JADE', 'CRYSTAL', 'MARE', 'AEGEAN', 'IONIAN', 'BALTIC', 'CAPE', 'KING', 'LADY', 'GLOBAL', 'UNITED', 'FORTUNE', 'LUCKY', 'NEW', 'HAPPY', 'SUNNY'];
const SECOND = ['PEARL', 'STAR', 'GLORY', 'SPIRIT', 'PIONEER', 'VOYAGER', 'DAWN', 'HARMONY', 'TRADER', 'WIND', 'HORIZON', 'PRIDE', 'VENTURE', 'EXPRESS', 'QUEEN', 'EAGLE', 'FALCON', 'LOTUS', 'PHOENIX', 'DIAMOND', 'ENERGY', 'MERCURY', 'ORION', 'VEGA', 'ATLAS', 'HERMES', 'ZEPHYR', 'NAVIGATOR', 'BREEZE', 'CROWN'];
const SMALL = ['MARIA', 'ANNA', 'SEAGULL', 'TERN', 'OSPREY', 'MORNING', 'LIBERTY', 'ELSA', 'FREYA', 'WAVE', 'SKIPPER', 'MISTRAL'];
const DESTINATIONS = ['SGSIN', 'NLRTM', 'CNQDG', 'AEFJR', 'USHOU', 'BRSSZ', 'FOR ORDERS', 'GRPIR', 'EGPSD', 'KRPUS', 'JPTYO', 'ESALG', 'MYPKG', 'INMUN'];

/** AIS ship-type codes and size ranges (metres) per kind. */
const KINDS: Record<ShipKind, { types: readonly number[]; length: [number, number]; draught: [number, number] | null; aisClass: AisClass }> = {
  tanker: { types: [80, 80, 81, 82, 83, 84, 89], length: [110, 333], draught: [7, 21], aisClass: 'A' },
  cargo: { types: [70, 70, 71, 72, 79], length: [90, 230], draught: [6, 14], aisClass: 'A' },
  container: { types: [70, 71], length: [140, 400], draught: [9, 16], aisClass: 'A' },
  passenger: { types: [60, 69], length: [80, 300], draught: [5, 9], aisClass: 'A' },
  fishing: { types: [30], length: [15, 70], draught: [3, 7], aisClass: 'A' },
  tug: { types: [52], length: [20, 40], draught: [3, 6], aisClass: 'A' },
  pleasure: { types: [37], length: [8, 25], draught: null, aisClass: 'B' },
  sailing: { types: [36], length: [9, 20], draught: null, aisClass: 'B' },
};

/** IMO check digit: Σ(d1..d6 × 7,6,5,4,3,2) mod 10. */
export function imoCheckDigit(first6: number): number {
  const text = String(first6).padStart(6, '0');
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (text.charCodeAt(i) - 48) * (7 - i);
  return sum % 10;
}

/** AIS names are 20 six-bit characters (type 5 and type 24 part A). */
const AIS_NAME_CHARS = 20;

export class VesselFactory {
  private readonly rng: Rng;
  private readonly mmsis = new Set<number>();
  private readonly imos = new Set<number>();
  private readonly names = new Set<string>();
  /** `'DEMO '` for a labelled run (see `namePrefix` in simulate.ts), else empty. */
  private readonly prefix: string;

  constructor(rng: Rng, opts: { namePrefix?: string } = {}) {
    this.rng = rng;
    this.prefix = opts.namePrefix ? `${opts.namePrefix} ` : '';
  }

  /** Reserve an MMSI so generated ones never collide with it. */
  reserve(mmsi: number): void {
    this.mmsis.add(mmsi);
  }

  make(kind: ShipKind, opts: { shadowFlag?: boolean; mmsi?: number } = {}): VesselIdentity {
    const r = this.rng;
    const spec = KINDS[kind];
    const flag = r.pick(opts.shadowFlag ? SHADOW_FLAGS : FLAGS);
    const mmsi = opts.mmsi ?? this.newMmsi(r.pick(flag.mids));
    this.mmsis.add(mmsi);
    const lengthM = Math.round(r.range(spec.length[0], spec.length[1]));
    const beamM = Math.max(3, Math.min(63, Math.round(lengthM / r.range(5.5, 7))));
    const dimStern = Math.max(1, Math.round(lengthM * r.range(0.1, 0.2)));
    const dimPort = Math.floor(beamM / 2);
    return {
      mmsi,
      imo: spec.aisClass === 'A' && kind !== 'fishing' ? this.newImo() : null,
      name: this.newName(kind),
      callsign: r.pick(flag.prefixes) + this.alnum(r.int(3, 4)),
      shipType: r.pick(spec.types),
      kind,
      aisClass: spec.aisClass,
      flag: classifyMmsi(mmsi).flag ?? 'XX',
      lengthM,
      beamM,
      dimBow: Math.min(511, lengthM - dimStern),
      dimStern: Math.min(511, dimStern),
      dimPort,
      dimStarboard: beamM - dimPort,
      draughtM: spec.draught ? Math.round(r.range(spec.draught[0], spec.draught[1]) * 10) / 10 : null,
      destination: spec.aisClass === 'A' ? r.pick(DESTINATIONS) : null,
    };
  }

  private newMmsi(mid: number): number {
    for (;;) {
      // Leave the last digits non-zero: trailing zeros are how group-call and coast MMSIs look.
      const mmsi = mid * 1_000_000 + this.rng.int(100_000, 999_999);
      if (!this.mmsis.has(mmsi) && classifyMmsi(mmsi).valid) return mmsi;
    }
  }

  private newImo(): number {
    for (;;) {
      // IMO numbers of today's fleet start with 9 (and 8 for older hulls).
      const first6 = this.rng.int(800_000, 999_999);
      const imo = first6 * 10 + imoCheckDigit(first6);
      if (!this.imos.has(imo)) {
        this.imos.add(imo);
        return imo;
      }
    }
  }

  private newName(kind: ShipKind): string {
    const r = this.rng;
    // What the prefix leaves of the 20 characters (20 without one: names are then unchanged).
    const room = AIS_NAME_CHARS - this.prefix.length;
    for (let attempt = 0; ; attempt++) {
      let name =
        kind === 'pleasure' || kind === 'sailing' ? r.pick(SMALL) : kind === 'fishing' ? `${r.pick(FIRST)} ${r.int(1, 99)}` : `${r.pick(FIRST)} ${r.pick(SECOND)}`;
      // Fleets reuse names with a number ("OCEAN PEARL 3"); widen the number as the run grows so
      // this always terminates, whatever the vessel count (the number keeps its 7 characters).
      if (attempt > 3) name = `${name.slice(0, room - 7)} ${r.int(1, 10 ** Math.min(6, 1 + Math.floor(attempt / 4)))}`;
      name = this.prefix + name.slice(0, room).trimEnd();
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
  }

  private alnum(n: number): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += chars[this.rng.int(0, chars.length - 1)];
    return s;
  }
}
