// Figures for issue 11 item 12 (not a test: timings vary by machine). Run:
//   node test/reliability/12-regex-hardening.bench.ts
// Prints, per hostile field length, how long the former patterns and today's parsers take.
import { createCsvRowParser } from '../../packages/feeds/src/index.ts';
import { normalizeVesselName, parseGurShadowFleet, parseOfacRemarks, parseOfacSdn, parseUnConsolidatedXml } from '../../packages/watchlists/src/index.ts';

const FORMER = {
  ofacFlag: /Former Vessel Flag\s+([^;]+?)\s*(?=;|\.?\s*$)/g,
  ofacAka: /\b[afn]\.k\.a\.\s+'(.+?)'(?=\s*(?:[;,)]|\.?\s*$))/g,
  unImo: /\bIMO\b\)?\s*(?:(?:company\s+)?(?:number|no\.?)\s*)?:?\s*([0-9]{7})(?![0-9])/gi,
  namePrefix: /^(?:M\s*[/.]?\s*[TV]\.?|S\.?\s*S\.?)\s+(?=\S)/,
  decimal: /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/,
  gurSlash: /\s+\/\s+/,
};

function ms(fn: () => unknown): string {
  const t = performance.now();
  fn();
  return `${(performance.now() - t).toFixed(1)} ms`;
}

const mc = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
for (const n of [1000, 2000, 4000, 20_000]) {
  const sp = ' '.repeat(n);
  const row: Record<string, string> = {};
  // The cubic one only up to 2,000 (4,000 takes ~26 s, 20,000 hours).
  if (n <= 2000) row['former ofac flag'] = ms(() => [...`Former Vessel Flag X${sp}x`.matchAll(FORMER.ofacFlag)]);
  row['former ofac a.k.a. (unclosed ×n/8)'] = ms(() => [...`${"a.k.a. '".repeat(n / 8)}x`.matchAll(FORMER.ofacAka)]);
  row['former un imo'] = ms(() => [...`IMO${sp}x`.matchAll(FORMER.unImo)]);
  row['former name prefix'] = ms(() => FORMER.namePrefix.test(`M${sp}X`));
  row['former decimal'] = ms(() => FORMER.decimal.test(`${'1'.repeat(n)}x`));
  row['former gur slash'] = ms(() => `${sp}x`.split(FORMER.gurSlash));
  row['parseOfacRemarks'] = ms(() => parseOfacRemarks(`Former Vessel Flag X${sp}x; ${"a.k.a. '".repeat(n / 8)}x`));
  row['parseOfacSdn (row)'] = ms(() => parseOfacSdn(`1,"A","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"${"a.k.a. '".repeat(n / 8)}x"`));
  row['parseUnConsolidatedXml'] = ms(() => parseUnConsolidatedXml(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>1</DATAID><COMMENTS1>IMO${sp}x IMO)${sp}:${sp}y</COMMENTS1></ENTITY></ENTITIES></CONSOLIDATED_LIST>`));
  row['normalizeVesselName'] = ms(() => normalizeVesselName(`M${sp}X`));
  row['parseGurShadowFleet'] = ms(() => parseGurShadowFleet(`gur_id,name,imo,mmsi_current,mmsi_legacy,flag,vessel_type,callsign,former_names,build_year,status\n1,A,,,,,,,"Rio${sp}/${sp}BBC",,listed`));
  row['csv decimal cell'] = ms(() => createCsvRowParser(mc, { now: Date.UTC(2026, 0, 1) }).parse(`367379190,2022-01-03T00:00:00,30.37,-88.56,${'1'.repeat(n)}x,0,511,E,,,31,0,1,1,1,1,A`, 2));
  console.log(`field length ${n}:`, row);
}
