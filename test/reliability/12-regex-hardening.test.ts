// Issue 11 item 12: every parser regex linear. Each parser gets fields of 20,000 hostile characters
// (long runs of what a backtracking pattern retries: spaces after a keyword, digits before a bad
// character, unclosed quotes and parentheses) and must give the right result. No timing assert:
// each parse runs in a worker thread, so a pattern that backtracks for minutes (the OFAC remarks
// pattern was cubic: ~26 s at 4,000 spaces, hours at 20,000) makes the test exceed this file's
// 20 s timeout instead of blocking the runner; quadratic patterns (~0.3–0.6 s per 20k field) get
// 200 such fields per parse, ~1–2 minutes of backtracking. Linear parsing takes milliseconds.
// Figures: `node test/reliability/12-regex-hardening.bench.ts`.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';

const H = 20_000;
const MANY = 200;
const spaces = ' '.repeat(H);
const digits = '1'.repeat(H);

// Workers still running after a test (a parse that timed out) are terminated. A worker that
// answered is never terminated: it exits by itself, and inWorker waits for that exit. Terminating
// a worker while it exits, or just before the next test starts one, crashed the test process once
// with SIGSEGV in CI (Node 24.21; cf. nodejs/node#56312, segfaults terminating and starting workers).
const running = new Set<Worker>();
afterEach(async () => {
  await Promise.all([...running].map((w) => w.terminate()));
  running.clear();
});

type Job =
  | { op: 'watchlists'; fn: string; args: unknown[] }
  | { op: 'csv'; header: string; rows: string[] }
  | { op: 'nmea'; lines: string[] }
  | { op: 'spec'; specs: string[] };

type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Runs the parse in a worker. Settles once the worker has exited by itself: with its result, with
 * the parser's error message, or with an error if it exited without answering.
 */
function inWorker<T>(job: Job): Promise<T> {
  const worker = new Worker(new URL('./12-regex-hardening.worker.ts', import.meta.url), { workerData: job });
  running.add(worker);
  return new Promise<T>((resolve, reject) => {
    let answer: Answer<T> | undefined;
    let failure: Error | undefined;
    worker.once('message', (m: Answer<T>) => (answer = m));
    worker.once('error', (err) => (failure = err));
    worker.once('exit', (code) => {
      running.delete(worker);
      if (failure) reject(failure);
      else if (!answer) reject(new Error(`worker exited with code ${code} without an answer`));
      else if (answer.ok) resolve(answer.value);
      else reject(new Error(answer.error));
    });
  });
}
const list = <T = { vessels: Record<string, unknown>[] }>(fn: string, ...args: unknown[]) => inWorker<T>({ op: 'watchlists', fn, args });

describe('regex hardening: 20k-character hostile fields', { timeout: 20_000 }, () => {
  describe('OFAC SDN', () => {
    it('remarks: a former flag followed by 20k spaces (the cubic case), aliases around 20k spaces, unclosed a.k.a. quotes', async () => {
      const flag = await list('parseOfacRemarks', `Former Vessel Flag Malta${spaces}x`);
      expect(flag).toEqual({ imo: null, mmsi: null, aliases: [], formerFlags: ['Malta x'] });
      const aliases = await list('parseOfacRemarks', `Vessel Registration Identification IMO 9187629; a.k.a. 'NAME'${spaces}; f.k.a. 'CAPTAIN'S LADY'${spaces}.`);
      expect(aliases).toEqual({ imo: '9187629', mmsi: null, aliases: ['NAME', "CAPTAIN'S LADY"], formerFlags: [] });
      const unclosed = await list('parseOfacRemarks', `MMSI ${'9'.repeat(9)}; ${"a.k.a. '".repeat(H / 8)}x`);
      expect(unclosed).toEqual({ imo: null, mmsi: '999999999', aliases: [], formerFlags: [] });
      const endless = await list('parseOfacRemarks', `Former Vessel Flag ${'Malta '.repeat(H / 6)}${spaces}.${spaces}`);
      expect(endless).toMatchObject({ formerFlags: [clean('Malta '.repeat(H / 6))] });
      const trailing = await list('parseOfacRemarks', `IMO${spaces}x; MMSI${spaces}y; Former Vessel Flag${spaces};`);
      expect(trailing).toEqual({ imo: null, mmsi: null, aliases: [], formerFlags: [] });
    });

    it('raw sdn.csv and the derived vessel file with 20k fields', async () => {
      const remarks = `"Vessel Registration Identification IMO 9187629; MMSI 572469210; f.k.a. '${'B'.repeat(H)}'; Former Vessel Flag ${'C'.repeat(H)}; Former Vessel Flag Malta${spaces}."`;
      const raw = [`15036,"${'A'.repeat(H)}","vessel","IRAN] [${'X'.repeat(H)}",-0- ,"T2EU4",-0- ,-0- ,-0- ,"Iran",-0- ,${remarks}`];
      for (let i = 0; i < 20; i++) raw.push(`${20000 + i},"N${i}","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"${"a.k.a. '".repeat(H / 8)}x"`);
      const out = await list('parseOfacSdn', raw.join('\n'));
      expect(out.vessels).toHaveLength(21);
      expect(out.vessels[0]).toMatchObject({ name: 'A'.repeat(H), aliases: ['B'.repeat(H)], imo: 9187629, mmsi: 572469210, formerFlags: ['C'.repeat(H), 'Malta'], program: `IRAN; ${'X'.repeat(H)}` });
      expect(out.vessels.slice(1).every((v) => (v['aliases'] as string[]).length === 0)).toBe(true);

      const derived = [
        'ent_num,sdn_name,program,call_sign,vess_type,tonnage,grt,vess_flag,vess_owner,imo,mmsi,former_names,former_flags,linked_to,first_seen_in_scrape,last_seen_in_scrape,remarks',
        `45330,KAZAN,RUSSIA-EO14024,A8CE6,Tanker,,,Liberia,,,,${'OLD;'.repeat(H / 4)}NEW,${'Malta;'.repeat(H / 6)},X,2023-11-16T18:43:29+00:00,,IMO${spaces}9258002; MMSI 636011916; Former Vessel Flag Panama${spaces}`,
      ];
      const d = await list('parseOfacSdn', derived.join('\n'));
      expect(d.vessels[0]).toMatchObject({ name: 'KAZAN', imo: 9258002, mmsi: 636011916, aliases: ['OLD', 'NEW'], formerFlags: ['Malta', 'Panama'], listedAt: '2023-11-16' });
    });
  });

  it('EU annex and DMA shapes: unclosed parentheses, IMO after 20k spaces', async () => {
    const annex = [
      'celex,amendmentCelex,recordId,programKey,annex,measure,startDate,reason,name,alias,previousName,imoNumber,flag,notes,source_file',
      `32014R0833,,5,EU-RUS,XLII,Transport,25.6.2024,x,Kavya,${'A;'.repeat(H / 2)},${' ;'.repeat(H / 2)}Hana,IMO${spaces}9353113,Panama,,x`,
    ].join('\n');
    const a = await list('parseEuVessels', annex);
    expect(a.vessels).toHaveLength(1);
    expect(a.vessels[0]).toMatchObject({ key: '9353113', name: 'Kavya', aliases: ['A', 'Hana'], imo: 9353113 });
    const dma = [
      'Vessel name;IMO number ;Date of application',
      `Kavya (formerly ${'('.repeat(H)}Hana;9353113;25.06.2024`,
      `"Apar ${'(x'.repeat(H / 2)}";9402471;25.06.2024`,
      `Quartanus (formerly${spaces}Morpheus;9247443;21.05.2025`,
    ].join('\n');
    const d = await list('parseEuVessels', dma);
    expect(d.vessels.map((v) => [v['key'], v['name']])).toEqual([
      ['9353113', 'Kavya'],
      ['9402471', 'Apar'],
      ['9247443', 'Quartanus'],
    ]);
    expect(d.vessels[0]!['aliases']).toEqual(['Hana']);
    expect(d.vessels[1]!['aliases']).toEqual(['x']);
    expect(d.vessels[2]!['aliases']).toEqual(['Morpheus']);
  });

  it('UK ships with 20k names and sanctions text', async () => {
    const text = [
      'Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,Sanctions Imposed',
      `RUS2000,,M/T${spaces}ARIA${spaces}x,Russia,Ship,UK,20/05/2025,"${'(see '.repeat(H / 5)}"`,
    ].join('\n');
    const out = await list('parseUkShips', text);
    expect(out.vessels).toHaveLength(1);
    expect(out.vessels[0]).toMatchObject({ key: 'RUS2000', name: 'M/T ARIA x', listedAt: '2025-05-20' });
  });

  it(`UN XML: ${MANY} records whose text has "IMO" then 20k spaces`, async () => {
    const entity = (i: number) =>
      `<ENTITY><DATAID>${i}</DATAID><FIRST_NAME>CO ${i}</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.${i}</REFERENCE_NUMBER><LISTED_ON>2014-07-28</LISTED_ON>` +
      `<COMMENTS1>IMO${spaces}x. IMO)${spaces}:${spaces}y. International Maritime Organization (IMO) Number: 1790183.</COMMENTS1></ENTITY>`;
    const xml = `<?xml version='1.0' encoding='UTF-8'?><CONSOLIDATED_LIST><ENTITIES>${Array.from({ length: MANY }, (_, i) => entity(i + 1)).join('')}</ENTITIES></CONSOLIDATED_LIST>`;
    const out = await list('parseUnConsolidatedXml', xml);
    expect(out.vessels).toHaveLength(MANY);
    expect(out.vessels.every((v, i) => v['key'] === `${i + 1}:1790183` && v['imoRaw'] === '1790183')).toBe(true);
  });

  it('OpenSanctions FtM lines with 20k values', async () => {
    const line = JSON.stringify({
      id: 'v1',
      schema: 'Vessel',
      properties: { name: [`M${spaces}T${spaces}KAZAN`], previousName: [`${'('.repeat(H)}`], imoNumber: [`IMO${':'.repeat(H)}9258002`], mmsi: [`${digits}x`], callSign: [`${'-'.repeat(H)}A8CE6`] },
    });
    const out = await list('parseOpenSanctionsFtm', line);
    expect(out.vessels).toHaveLength(1);
    expect(out.vessels[0]).toMatchObject({ key: 'v1', name: 'M T KAZAN', imo: 9258002, mmsi: null, callsign: 'A8CE6' });
  });

  it('plain CSV and GUR with 20k fields', async () => {
    const plain = ['imo,mmsi,name,reason,source', `9258002,636011916,${'K'.repeat(H)},${spaces}dark${spaces},analyst`].join('\n');
    const p = await list('parsePlainCsv', plain);
    expect(p.vessels[0]).toMatchObject({ imo: 9258002, mmsi: 636011916, name: 'K'.repeat(H) });
    const gur = [
      'gur_id,name,imo,mmsi_current,mmsi_legacy,flag,vessel_type,callsign,former_names,build_year,status',
      `1,ADLER,9179854,273414440,${'2734144401'.repeat(H / 10)},russian federation,Ro-Ro,UGPS,Rio${spaces}/${spaces}BBC${spaces}Kelan${spaces}/${spaces}Ocean,1998,listed`,
    ].join('\n');
    const g = await list('parseGurShadowFleet', gur);
    expect(g.vessels[0]).toMatchObject({ key: '1', name: 'ADLER', imo: 9179854, mmsi: 273414440 });
    expect(g.vessels[0]!['aliases']).toEqual(['Rio', 'BBC Kelan', 'Ocean']);
  });

  it(`vessel-name keys: ${MANY} names with 20k spaces inside a prefix`, async () => {
    const names = Array.from({ length: MANY }, (_, i) => (i % 2 === 0 ? `M${spaces}X${i}` : `M${spaces}/${spaces}T${spaces}KAZAN`));
    // The worker maps normalizeVesselName over the list.
    const keys = await list<(string | null)[]>('normalizeVesselNames', names);
    expect(keys).toEqual(names.map((_, i) => (i % 2 === 0 ? `M X${i}` : 'KAZAN')));
  });

  it(`MarineCadastre and DMA CSV: ${MANY} rows with 20k-digit numbers`, async () => {
    const mcHeader = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
    const mcRows = Array.from({ length: MANY }, (_, i) => `36737919${i % 10},2022-01-03T00:00:00,30.3706,-88.56408,${digits}x,336.2,511,${'E'.repeat(H)},IMO8207721,WTD4583,31,0,28,11,3.3,52,A`);
    mcRows.push(`367379190,2022-01-03T00:00:00,30.3706,-88.56408,${'0'.repeat(H)}1.5,336.2,511,EAGLE,IMO8207721,WTD4583,31,0,28,11,3.3,52,A`);
    const mc = await inWorker<{ ok: boolean; reason?: string; observations?: { kind: string; sog?: number }[] }[]>({ op: 'csv', header: mcHeader, rows: mcRows });
    expect(mc.slice(0, MANY).every((r) => !r.ok && r.reason === 'bad_number')).toBe(true);
    expect(mc[MANY]).toMatchObject({ ok: true, observations: [{ kind: 'position', sog: 1.5 }, { kind: 'static' }] });

    const dmaHeader =
      '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type';
    const dmaRows = Array.from({ length: MANY }, () => `08/02/2018 00:00:00,Class A,244678000,57.549578,11.666492,At anchor,-5.4,${digits}.5e,162.7,227.0,Unknown,,${spaces},Undefined,,,,Undefined,,,,AIS`);
    const dma = await inWorker<{ ok: boolean; reason?: string }[]>({ op: 'csv', header: dmaHeader, rows: dmaRows });
    expect(dma.every((r) => !r.ok && r.reason === 'bad_number')).toBe(true);
  });

  it('NMEA: 20k-character TAG blocks, trailers and payloads are rejected as too long; the good line after them decodes', async () => {
    const good = toNmeaLines(classAPosition({ mmsi: 237300001, lon: 23.6, lat: 37.9, second: 1 }), { timeMs: Date.UTC(2024, 2, 1), source: 'rx1' })[0]!;
    const bang = good.indexOf('!');
    const hostile = [
      `\\c:${digits}*00\\${good.slice(bang)}`,
      `${good},${digits}`,
      `${digits} ${good.slice(bang)}`,
      `!AIVDM,1,1,,A,${'1'.repeat(H)},0*00`,
      `$PGHP,1,${digits}*00`,
    ];
    const out = await inWorker<{ messages: number[]; rejected: Record<string, number> }>({ op: 'nmea', lines: [...hostile, good] });
    expect(out.messages).toEqual([237300001]);
    expect(out.rejected['line_too_long']).toBe(hostile.length);
  });

  it('source specs with 20k-character hosts and speeds are refused with a message', async () => {
    const specs = [`tcp://${'a'.repeat(H)}:x`, `udp://[${':'.repeat(H)}`, `replay:${digits}x:capture.nmea`, `${'a'.repeat(H)}://x`, 'tcp://127.0.0.1:10110'];
    const out = await inWorker<({ error: string } | { kind: string })[]>({ op: 'spec', specs });
    expect(out.slice(0, 4).every((r) => 'error' in r)).toBe(true);
    expect(out[4]).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 10110 });
  });
});

/** The watchlists' whitespace clean-up, for expected values. */
function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
