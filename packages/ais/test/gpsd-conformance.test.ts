/**
 * Conformance with gpsd's golden decodes (ntpsec/gpsd test/daemon/*.chk and
 * test/sample.aivdm.chk). The .chk values are gpsd "unscaled": lon/lat in
 * 1/10000 min (1/10 min for type 27), speed in 0.1 kn, course in 0.1°,
 * draught in 0.1 m, sentinels kept raw. Every gpsd record of types
 * 1,2,3,4,5,18,19,21,24,27 is compared with our decode of the same log.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AisDecoder, type AisMessage } from '../src/index.ts';
import { dataPath, hasData, readLines, SKIP_NOTE } from './data.ts';

const TYPES = new Set([1, 2, 3, 4, 5, 18, 19, 21, 24, 27]);
type Raw = Record<string, unknown>;

/** Our messages of the compared types, mimicking gpsdecode's type-24 rule: only A+B pairs ("both") are emitted, A name joined by MMSI. */
function decodeLog(rel: string): AisMessage[] {
  const dec = new AisDecoder();
  const out: AisMessage[] = [];
  const partA: { mmsi: number; name: string | null }[] = []; // gpsd's 24A queue (MAX_TYPE24_INTERLEAVE = 8)
  const handle = (m: AisMessage): void => {
    if (!TYPES.has(m.type)) return;
    if (m.type === 24) {
      if (m.partNumber === 0) {
        partA.push({ mmsi: m.mmsi, name: m.name });
        if (partA.length > 8) partA.shift();
        return;
      }
      const i = partA.findIndex((a) => a.mmsi === m.mmsi);
      if (i < 0) return;
      const name = partA[i]!.name;
      partA.splice(i, 1);
      out.push({ ...m, joinedName: name } as AisMessage);
      return;
    }
    out.push(m);
  };
  for (const line of readLines(rel)) {
    const d = dec.push(line, 0);
    if (d) handle(d.msg);
    for (let e = dec.shift(); e; e = dec.shift()) handle(e.msg);
  }
  return out;
}

// ---- gpsd unscaled → our units -------------------------------------------------
const lon = (r: number, u = 600000) => (Math.abs(r / u) > 180 ? null : r / u);
const lat = (r: number, u = 600000) => (Math.abs(r / u) > 90 ? null : r / u);
const sog = (r: number) => (r === 1023 ? null : r / 10);
const cog = (r: number) => (r >= 3600 ? null : r / 10);
const hdg = (r: number) => (r >= 360 ? null : r);
const sec = (r: number) => (r >= 60 ? null : r);
const z = (r: number) => (r === 0 ? null : r);
const str = (s: unknown) => (s === '' ? null : (s as string));
const pad = (n: number | null, sentinel: number) => String(n ?? sentinel).padStart(2, '0');

/** Map one gpsd record to the expected subset of our record. */
function expected(g: Raw): Raw {
  const n = (k: string) => g[k] as number;
  const base: Raw = { type: n('type'), repeat: n('repeat'), mmsi: n('mmsi') };
  switch (n('type')) {
    case 1:
    case 2:
    case 3:
      return {
        ...base,
        navStatus: n('status') === 15 ? null : n('status'),
        rotRaw: n('turn'),
        sog: sog(n('speed')),
        accuracy: g.accuracy,
        lon: lon(n('lon')),
        lat: lat(n('lat')),
        cog: cog(n('course')),
        heading: hdg(n('heading')),
        second: sec(n('second')),
        maneuver: z(n('maneuver')),
        raim: g.raim,
        radio: n('radio'),
      };
    case 4:
      return { ...base, timestamp: g.timestamp, accuracy: g.accuracy, lon: lon(n('lon')), lat: lat(n('lat')), epfd: z(n('epfd')), raim: g.raim, radio: n('radio') };
    case 5:
      return {
        ...base,
        imo: z(n('imo')),
        aisVersion: n('ais_version'),
        callsign: str(g.callsign),
        name: str(g.shipname),
        shipType: z(n('shiptype')),
        dimBow: z(n('to_bow')),
        dimStern: z(n('to_stern')),
        dimPort: z(n('to_port')),
        dimStarboard: z(n('to_starboard')),
        epfd: z(n('epfd')),
        eta: g.eta,
        draught: n('draught') === 0 ? null : n('draught') / 10,
        destination: str(g.destination),
        dte: n('dte'),
      };
    case 18:
      return {
        ...base,
        sog: sog(n('speed')),
        accuracy: g.accuracy,
        lon: lon(n('lon')),
        lat: lat(n('lat')),
        cog: cog(n('course')),
        heading: hdg(n('heading')),
        second: sec(n('second')),
        csUnit: g.cs,
        display: g.display,
        dsc: g.dsc,
        band: g.band,
        msg22: g.msg22,
        raim: g.raim,
        radio: n('radio'),
      };
    case 19: {
      const e: Raw = {
        ...base,
        sog: sog(n('speed')),
        accuracy: g.accuracy,
        lon: lon(n('lon')),
        lat: lat(n('lat')),
        cog: cog(n('course')),
        heading: hdg(n('heading')),
        second: sec(n('second')),
        name: str(g.shipname),
        shipType: z(n('shiptype')),
        dimBow: z(n('to_bow')),
        dimStern: z(n('to_stern')),
        dimPort: z(n('to_port')),
        dimStarboard: z(n('to_starboard')),
        epfd: z(n('epfd')),
        raim: g.raim,
        dte: n('dte'),
      };
      if ('assigned' in g) e.assigned = g.assigned;
      return e;
    }
    case 21:
      return {
        ...base,
        aidType: z(n('aid_type')),
        name: str(g.name),
        accuracy: g.accuracy,
        lon: lon(n('lon')),
        lat: lat(n('lat')),
        dimBow: z(n('to_bow')),
        dimStern: z(n('to_stern')),
        dimPort: z(n('to_port')),
        dimStarboard: z(n('to_starboard')),
        epfd: z(n('epfd')),
        second: sec(n('second')),
        offPosition: g.off_position,
        raim: g.raim,
        virtualAid: g.virtual_aid,
      };
    case 24: {
      const e: Raw = {
        ...base,
        joinedName: str(g.shipname),
        shipType: z(n('shiptype')),
        // gpsd prints the 42-bit vendor field as text; since M.1371-4 only its first 3 characters are the vendor.
        vendorPrefix: (g.vendorid as string).slice(0, 3) || null,
        model: n('model'),
        serial: n('serial'),
        callsign: str(g.callsign),
      };
      if ('mothership_mmsi' in g) e.mothershipMmsi = z(n('mothership_mmsi'));
      else Object.assign(e, { dimBow: z(n('to_bow')), dimStern: z(n('to_stern')), dimPort: z(n('to_port')), dimStarboard: z(n('to_starboard')) });
      return e;
    }
    case 27:
      return {
        ...base,
        navStatus: n('status') === 15 ? null : n('status'),
        accuracy: g.accuracy,
        lon: lon(n('lon'), 600),
        lat: lat(n('lat'), 600),
        sog: n('speed') === 63 ? null : n('speed'),
        cog: n('course') >= 360 ? null : n('course'),
        raim: g.raim,
        gnss: g.gnss,
      };
  }
  throw new Error(`unexpected type ${n('type')}`);
}

/** Our record projected onto the keys of `exp`, with the few derived views gpsd prints. */
function project(m: AisMessage, exp: Raw): Raw {
  const r = m as unknown as Raw;
  const view: Raw = { ...r };
  if (m.type === 4 || m.type === 11) {
    const y = String(m.year ?? 0).padStart(4, '0');
    view.timestamp = `${y}-${pad(m.month, 0)}-${pad(m.day, 0)}T${pad(m.hour, 24)}:${pad(m.minute, 60)}:${pad(m.second, 60)}Z`;
  }
  if (m.type === 5) view.eta = `${pad(m.etaMonth, 0)}-${pad(m.etaDay, 0)}T${pad(m.etaHour, 24)}:${pad(m.etaMinute, 60)}Z`;
  if (m.type === 24 && m.partNumber === 1) view.vendorPrefix = m.vendorId === null ? null : m.vendorId.slice(0, 3);
  const out: Raw = {};
  for (const k of Object.keys(exp)) out[k] = view[k];
  return out;
}

// ---- sample.aivdm.chk: gpsdecode -u -c ("AIS dump format with an ASCII pipe separator") --------
const num = (s: string | undefined) => Number(s);
const bool = (s: string | undefined) => s === '1';
/** Column layout per gpsd clients/gpsdecode.c aivdm_csv_dump(). */
function pipeToGpsd(f: string[]): Raw | null {
  const type = num(f[0]);
  const b: Raw = { type, repeat: num(f[1]), mmsi: num(f[2]) };
  switch (type) {
    case 1:
    case 2:
    case 3:
      return { ...b, status: num(f[3]), turn: num(f[4]), speed: num(f[5]), accuracy: bool(f[6]), lon: num(f[7]), lat: num(f[8]), course: num(f[9]), heading: num(f[10]), second: num(f[11]), maneuver: parseInt(f[12]!, 16), raim: bool(f[13]), radio: parseInt(f[14]!, 16) };
    case 4:
      return { ...b, timestamp: f[3], accuracy: bool(f[4]), lon: num(f[5]), lat: num(f[6]), epfd: num(f[7]), raim: bool(f[8]), radio: parseInt(f[9]!, 16) };
    case 5:
      return { ...b, imo: num(f[3]), ais_version: num(f[4]), callsign: f[5], shipname: f[6], shiptype: num(f[7]), to_bow: num(f[8]), to_stern: num(f[9]), to_port: num(f[10]), to_starboard: num(f[11]), epfd: num(f[12]), eta: f[13], draught: num(f[14]), destination: f[15], dte: num(f[16]) };
    case 18:
      return { ...b, speed: num(f[4]), accuracy: bool(f[5]), lon: num(f[6]), lat: num(f[7]), course: num(f[8]), heading: num(f[9]), second: num(f[10]), cs: bool(f[12]), display: bool(f[13]), dsc: bool(f[14]), band: bool(f[15]), msg22: bool(f[16]), raim: bool(f[17]), radio: parseInt(f[18]!, 16) };
    case 19:
      return { ...b, speed: num(f[4]), accuracy: bool(f[5]), lon: num(f[6]), lat: num(f[7]), course: num(f[8]), heading: num(f[9]), second: num(f[10]), shipname: f[12], shiptype: num(f[13]), to_bow: num(f[14]), to_stern: num(f[15]), to_port: num(f[16]), to_starboard: num(f[17]), epfd: num(f[18]), raim: bool(f[19]), dte: num(f[20]), assigned: bool(f[21]) };
    case 21:
      return { ...b, aid_type: num(f[3]), name: f[4], accuracy: bool(f[5]), lon: num(f[6]), lat: num(f[7]), to_bow: num(f[8]), to_stern: num(f[9]), to_port: num(f[10]), to_starboard: num(f[11]), epfd: num(f[12]), second: num(f[13]), off_position: bool(f[15]), raim: bool(f[16]), virtual_aid: bool(f[17]) };
    case 24: {
      const r: Raw = { ...b, shipname: f[3], shiptype: num(f[4]), vendorid: f[5], model: num(f[6]), serial: num(f[7]), callsign: f[8] };
      if (f.length === 10) r.mothership_mmsi = num(f[9]);
      else Object.assign(r, { to_bow: num(f[9]), to_stern: num(f[10]), to_port: num(f[11]), to_starboard: num(f[12]) });
      return r;
    }
    case 27:
      return { ...b, status: num(f[3]), accuracy: bool(f[4]), lon: num(f[5]), lat: num(f[6]), speed: num(f[7]), course: num(f[8]), raim: bool(f[9]), gnss: bool(f[10]) };
  }
  return null;
}

interface Case {
  log: string;
  /** gpsd records of the compared types, in output order. */
  golden: () => Raw[];
  /** Independent count straight from the .chk text. */
  independentCount: () => number;
}

/**
 * gpsd's daemon output (ais-nmea.log.chk mixes GPS NMEA) re-emits the last
 * AIS record after later GPS sentences. Only the first AIS record after a
 * new `!` sentence is a fresh decode; repeats are not messages.
 */
function freshAisRecords(lines: string[]): string[] {
  const out: string[] = [];
  let sawSentence = false;
  for (const l of lines) {
    if (l.startsWith('!')) sawSentence = true;
    else if (l.startsWith('{"class":"AIS"')) {
      if (sawSentence) out.push(l);
      sawSentence = false;
    }
  }
  return out;
}

const JSON_TYPES_RE = /^\{"class":"AIS","type":(1|2|3|4|5|18|19|21|24|27),/;
function jsonCase(log: string): Case {
  const chk = `nmea-gpsd/${log}.chk`;
  return {
    log: `nmea-gpsd/${log}`,
    golden: () =>
      freshAisRecords(readLines(chk))
        .map((l) => JSON.parse(l) as Raw)
        .filter((r) => TYPES.has(r.type as number)),
    // Independent of the JSON parse above: a plain text scan with a regex.
    independentCount: () => {
      const text = readFileSync(dataPath(chk), 'utf8');
      let count = 0;
      let fresh = false;
      for (const l of text.split('\n')) {
        if (l[0] === '!') fresh = true;
        else if (l.startsWith('{"class":"AIS"')) {
          if (fresh && JSON_TYPES_RE.test(l)) count++;
          fresh = false;
        }
      }
      return count;
    },
  };
}

const PIPE_TYPES_RE = /^(1|2|3|4|5|18|19|21|24|27)\|/;
const CASES: Case[] = [
  jsonCase('ais-18-27.log'),
  jsonCase('ais-nmea-type6-fid55.log'),
  jsonCase('ais-nmea.log'),
  jsonCase('ais-raw-messages.log'),
  {
    log: 'nmea-gpsd/sample.aivdm',
    golden: () =>
      readLines('nmea-gpsd/sample.aivdm.chk')
        .map((l) => l.replace(/\r$/, ''))
        .filter((l) => l !== '')
        .map((l) => pipeToGpsd(l.split('|')))
        .filter((r): r is Raw => r !== null),
    independentCount: () => readFileSync(dataPath('nmea-gpsd/sample.aivdm.chk'), 'utf8').split('\n').filter((l) => PIPE_TYPES_RE.test(l)).length,
  },
];

describe.skipIf(!hasData('nmea-gpsd'))(`gpsd golden conformance${hasData('nmea-gpsd') ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  let total = 0;
  for (const c of CASES) {
    it(`${c.log}: every type 1/2/3/4/5/18/19/21/24/27 record equals gpsd's`, () => {
      const golden = c.golden();
      const independent = c.independentCount();
      expect(independent).toBeGreaterThan(0);
      expect(golden.length).toBe(independent);
      const ours = decodeLog(c.log);
      const mismatches: string[] = [];
      let compared = 0;
      const n = Math.min(ours.length, golden.length);
      for (let i = 0; i < n; i++) {
        const exp = expected(golden[i]!);
        const got = project(ours[i]!, exp);
        compared++;
        try {
          expect(got).toEqual(exp);
        } catch {
          mismatches.push(`#${i}: gpsd ${JSON.stringify(exp)}\n      ours ${JSON.stringify(got)}`);
        }
      }
      expect(mismatches.slice(0, 5).join('\n')).toBe('');
      expect(ours.length).toBe(golden.length);
      expect(compared).toBe(independent);
      total += compared;
    });
  }
  it('compared a substantial number of messages overall', () => {
    expect(total).toBeGreaterThan(1500);
  });
});
