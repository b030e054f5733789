/** Seeded random generators of valid, already-quantised records (for round-trip property tests). */
import { mulberry32 } from '@rendezvous/test-support';
import { rotFromRaw, utcFromParts, type EncodableMessage } from '../src/index.ts';

const SIXBIT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';

export class Gen {
  readonly r: () => number;
  constructor(seed: number) {
    this.r = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  bool(): boolean {
    return this.r() < 0.5;
  }
  /** null with probability p. */
  maybe<T>(v: T, p = 0.2): T | null {
    return this.r() < p ? null : v;
  }
  /** Six-bit text without '@' and without trailing space; null when empty. */
  text(max: number): string | null {
    const n = this.int(0, max);
    let s = '';
    for (let i = 0; i < n; i++) s += SIXBIT[this.int(0, SIXBIT.length - 1)];
    s = s.trimEnd();
    return s === '' ? null : s;
  }
  lon(units = 600000): number | null {
    return this.maybe(this.int(-180 * units, 180 * units) / units);
  }
  lat(units = 600000): number | null {
    return this.maybe(this.int(-90 * units, 90 * units) / units);
  }
  sog(): number | null {
    return this.maybe(this.int(0, 1022) / 10);
  }
  cog(): number | null {
    return this.maybe(this.int(0, 3599) / 10);
  }
  nz(max: number): number | null {
    return this.maybe(this.int(1, max));
  }
  mmsi(): number {
    return this.int(0, 999999999);
  }
}

export function genMessage(g: Gen, type: EncodableMessage['type']): EncodableMessage {
  const head = { repeat: g.int(0, 3), mmsi: g.mmsi() };
  switch (type) {
    case 1:
    case 2:
    case 3: {
      const rotRaw = g.int(-128, 127);
      return {
        type,
        ...head,
        navStatus: g.maybe(g.int(0, 14)),
        rot: rotFromRaw(rotRaw),
        rotRaw,
        sog: g.sog(),
        accuracy: g.bool(),
        lon: g.lon(),
        lat: g.lat(),
        cog: g.cog(),
        heading: g.maybe(g.int(0, 359)),
        second: g.maybe(g.int(0, 59)),
        maneuver: g.maybe(g.int(1, 2)),
        raim: g.bool(),
        radio: g.int(0, 2 ** 19 - 1),
      };
    }
    case 4:
    case 11: {
      const year = g.nz(9999);
      const month = g.nz(12);
      const day = g.nz(31);
      const hour = g.maybe(g.int(0, 23));
      const minute = g.maybe(g.int(0, 59));
      const second = g.maybe(g.int(0, 59));
      return {
        type,
        ...head,
        utc: utcFromParts(year, month, day, hour, minute, second),
        year,
        month,
        day,
        hour,
        minute,
        second,
        accuracy: g.bool(),
        lon: g.lon(),
        lat: g.lat(),
        epfd: g.nz(15),
        raim: g.bool(),
        radio: g.int(0, 2 ** 19 - 1),
      };
    }
    case 5:
      return {
        type,
        ...head,
        aisVersion: g.int(0, 3),
        imo: g.nz(2 ** 30 - 1),
        callsign: g.text(7),
        name: g.text(20),
        shipType: g.nz(255),
        dimBow: g.nz(511),
        dimStern: g.nz(511),
        dimPort: g.nz(63),
        dimStarboard: g.nz(63),
        epfd: g.nz(15),
        etaMonth: g.nz(15),
        etaDay: g.nz(31),
        etaHour: g.maybe(g.int(0, 23)),
        etaMinute: g.maybe(g.int(0, 59)),
        draught: g.maybe(g.int(1, 255) / 10),
        destination: g.text(20),
        dte: g.int(0, 1),
      };
    case 18:
      return {
        type,
        ...head,
        sog: g.sog(),
        accuracy: g.bool(),
        lon: g.lon(),
        lat: g.lat(),
        cog: g.cog(),
        heading: g.maybe(g.int(0, 359)),
        second: g.maybe(g.int(0, 59)),
        csUnit: g.bool(),
        display: g.bool(),
        dsc: g.bool(),
        band: g.bool(),
        msg22: g.bool(),
        assigned: g.bool(),
        raim: g.bool(),
        radio: g.int(0, 2 ** 20 - 1),
      };
    case 19:
      return {
        type,
        ...head,
        sog: g.sog(),
        accuracy: g.bool(),
        lon: g.lon(),
        lat: g.lat(),
        cog: g.cog(),
        heading: g.maybe(g.int(0, 359)),
        second: g.maybe(g.int(0, 59)),
        name: g.text(20),
        shipType: g.nz(255),
        dimBow: g.nz(511),
        dimStern: g.nz(511),
        dimPort: g.nz(63),
        dimStarboard: g.nz(63),
        epfd: g.nz(15),
        raim: g.bool(),
        dte: g.int(0, 1),
        assigned: g.bool(),
      };
    case 21:
      return {
        type,
        ...head,
        aidType: g.nz(31),
        name: g.text(34),
        accuracy: g.bool(),
        lon: g.lon(),
        lat: g.lat(),
        dimBow: g.nz(511),
        dimStern: g.nz(511),
        dimPort: g.nz(63),
        dimStarboard: g.nz(63),
        epfd: g.nz(15),
        second: g.maybe(g.int(0, 59)),
        offPosition: g.bool(),
        raim: g.bool(),
        virtualAid: g.bool(),
        assigned: g.bool(),
      };
    case 24: {
      if (g.bool()) return { type, ...head, partNumber: 0, name: g.text(20) };
      const aux = g.r() < 0.3;
      const mmsi = aux ? g.int(980000000, 989999999) : head.mmsi >= 980000000 && head.mmsi < 990000000 ? 244000000 : head.mmsi;
      return {
        type,
        repeat: head.repeat,
        mmsi,
        partNumber: 1,
        shipType: g.nz(255),
        vendorId: g.text(3),
        model: g.int(0, 15),
        serial: g.int(0, 2 ** 20 - 1),
        callsign: g.text(7),
        dimBow: aux ? null : g.nz(511),
        dimStern: aux ? null : g.nz(511),
        dimPort: aux ? null : g.nz(63),
        dimStarboard: aux ? null : g.nz(63),
        mothershipMmsi: aux ? g.nz(999999999) : null,
      };
    }
    case 27:
      return {
        type,
        ...head,
        accuracy: g.bool(),
        raim: g.bool(),
        navStatus: g.maybe(g.int(0, 14)),
        lon: g.lon(600),
        lat: g.lat(600),
        sog: g.maybe(g.int(0, 62)),
        cog: g.maybe(g.int(0, 359)),
        gnss: g.bool(),
      };
  }
}

export const ENCODABLE_TYPES: EncodableMessage['type'][] = [1, 2, 3, 4, 11, 5, 18, 19, 21, 24, 27];
