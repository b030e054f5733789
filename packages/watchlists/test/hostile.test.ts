/**
 * Hostile and broken input: every failure is a ParseError naming the line or element, never
 * another exception, never a partial result.
 */
import { ParseError } from '@rendezvous/errors';
import { mulberry32 } from '@rendezvous/test-support';
import { OFAC_ROW, buildOfacFile } from './support/ofac-file.ts';
import { describe, expect, it } from 'vitest';
import {
  decodeText,
  parseEuVessels,
  parseGurShadowFleet,
  parseList,
  parseOfacSdn,
  parseOpenSanctionsFtm,
  parsePlainCsv,
  parseUkShips,
  parseUnConsolidatedXml,
  LIST_FORMATS,
  type ParseOutcome,
} from '../src/index.ts';

/** Runs fn and returns the ParseError it throws; fails the test on success or any other error. */
function parseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw new Error(`expected a ParseError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a ParseError, but parsing succeeded');
}

describe('malformed CSV', () => {
  it('unterminated quote: the line where the field opened', () => {
    const text = [OFAC_ROW(1), OFAC_ROW(2), '3,"UNTERMINATED,"vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ', OFAC_ROW(4)].join('\n');
    const e = parseError(() => parseOfacSdn(text));
    expect(e.location).toBe('line 3');
    expect(e.message).toMatch(/unterminated quoted field|unexpected/);
  });

  it('an unterminated quote in a big file fails near its start, not at the end', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => OFAC_ROW(i + 1));
    rows[10] = '11,"NEVER CLOSED';
    const e = parseError(() => parseOfacSdn(rows.join('\n')));
    expect(e.location).toBe('line 11');
  });

  it('a record over 1 MiB (e.g. a binary blob without newlines) is refused with its line', () => {
    const e = parseError(() => parseGurShadowFleet(`gur_id,name,imo,mmsi_current,mmsi_legacy,flag,vessel_type,callsign,former_names,build_year,status\n${'x'.repeat(2 << 20)}`));
    expect(e.location).toBe('line 2');
    expect(e.message).toMatch(/record longer than/);
  });

  it('characters after a closing quote', () => {
    const e = parseError(() => parseUkShips('Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,Sanctions Imposed\nA1,,"Petrel 8"x,R,Ship,UN,03-10-2017,P'));
    expect(e.location).toBe('line 2');
    expect(e.message).toMatch(/after closing quote/);
  });

  it.each([
    ['OFAC raw, 11 columns', () => parseOfacSdn(`${OFAC_ROW(1)}\n${OFAC_ROW(2).replace(/,-0- $/, '')}`), 'line 2', /expected 12 columns/],
    ['EU DMA, 4 columns', () => parseEuVessels('Vessel name;IMO number ;Date of application\nA;9353113;25.06.2024\nB;9402471;25.06.2024;extra'), 'line 3', /expected 3 columns/],
    ['UK, 2 columns', () => parseUkShips('Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,Sanctions Imposed\nA,B'), 'line 2', /expected 8 columns/],
    ['GUR, 12 columns', () => parseGurShadowFleet('gur_id,name,imo,mmsi_current,mmsi_legacy,flag,vessel_type,callsign,former_names,build_year,status\n1,A,9179854,,,,,,,,listed,extra'), 'line 2', /expected 11 columns/],
    ['plain CSV, missing header', () => parsePlainCsv(''), 'line 1', /empty file/],
  ])('wrong column count: %s', (_label, fn, location, message) => {
    const e = parseError(fn);
    expect(e.location).toBe(location);
    expect(e.message).toMatch(message);
  });
});

describe('malformed XML', () => {
  const wrap = (inner: string): string => `<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<ENTITIES>\n${inner}\n</ENTITIES>\n</CONSOLIDATED_LIST>\n`;

  it('rejects DOCTYPE with ENTITY declarations (billion laughs) without expanding anything', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><COMMENTS1>&lol9;</COMMENTS1></ENTITY></ENTITIES></CONSOLIDATED_LIST>`;
    const e = parseError(() => parseUnConsolidatedXml(laughs));
    expect(e.location).toBe('line 2');
    expect(e.message).toMatch(/<!DOCTYPE> declarations are not accepted/);
  });

  it('rejects an external entity (XXE) and undeclared entity references', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<CONSOLIDATED_LIST>&xxe;</CONSOLIDATED_LIST>';
    expect(parseError(() => parseUnConsolidatedXml(xxe)).location).toBe('line 2');
    const e = parseError(() => parseUnConsolidatedXml(wrap('<ENTITY><COMMENTS1>&xxe;</COMMENTS1></ENTITY>')));
    expect(e.location).toBe('line 4 <COMMENTS1>');
    expect(e.message).toMatch(/unknown entity &xxe;/);
  });

  it('unclosed and mismatched tags name the element and its line', () => {
    const unclosed = parseError(() => parseUnConsolidatedXml('<CONSOLIDATED_LIST>\n<ENTITIES>\n<ENTITY>\n<FIRST_NAME>X</FIRST_NAME>\n'));
    expect(unclosed.message).toMatch(/<ENTITY> opened at line 3 is not closed/);
    const mismatched = parseError(() => parseUnConsolidatedXml(wrap('<ENTITY>\n<FIRST_NAME>X</FIRST_NAM>\n</ENTITY>')));
    expect(mismatched.location).toBe('line 5 <FIRST_NAME>');
    expect(mismatched.message).toMatch(/expected <\/FIRST_NAME> \(opened at line 5\) but found <\/FIRST_NAM>/);
  });

  it('caps nesting depth (100,000 levels fail at the cap)', () => {
    // How fast is measured by `npm run bench -- watchlist-parse`, not asserted here.
    const deep = `<CONSOLIDATED_LIST>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</CONSOLIDATED_LIST>`;
    const e = parseError(() => parseUnConsolidatedXml(deep));
    expect(e.message).toMatch(/nested deeper than 32/);
  });

  it('caps the text of one element', () => {
    const e = parseError(() => parseUnConsolidatedXml(wrap(`<ENTITY><COMMENTS1>${'x'.repeat(2_000_000)}</COMMENTS1></ENTITY>`)));
    expect(e.message).toMatch(/text longer than/);
    expect(e.location).toBe('line 4 <COMMENTS1>');
  });

  it.each([
    ['text after the root', '<CONSOLIDATED_LIST/>\ntrailing', /text after the root element/],
    ['second root', '<CONSOLIDATED_LIST/>\n<CONSOLIDATED_LIST/>', /second root element/],
    ['unquoted attribute', '<CONSOLIDATED_LIST a=1/>', /not quoted/],
    ['duplicate attribute', "<CONSOLIDATED_LIST a='1' a='2'/>", /duplicate attribute/],
    ['bad character reference', '<CONSOLIDATED_LIST>&#0;</CONSOLIDATED_LIST>', /invalid character reference/],
    ['bare ampersand', '<CONSOLIDATED_LIST>Smith & Co</CONSOLIDATED_LIST>', /does not start an entity reference/],
    ['unterminated comment', '<CONSOLIDATED_LIST><!-- no end', /unterminated comment/],
    ['unterminated CDATA', '<CONSOLIDATED_LIST><![CDATA[ no end', /unterminated CDATA/],
    ['stray end tag', '<CONSOLIDATED_LIST></CONSOLIDATED_LIST></x>', /without a matching start tag/],
    ['empty document', '   ', /no root element/],
    ['not XML at all', 'ent_num,name', /text before the root element/],
  ])('%s', (_label, xml, message) => {
    const e = parseError(() => parseUnConsolidatedXml(xml));
    expect(e.message).toMatch(message);
    expect(e.location).toMatch(/^line [0-9]+/);
  });

  it('accepts comments, CDATA, character references and self-closing tags', () => {
    const ok = wrap("<!-- note --><ENTITY><DATAID>7</DATAID><FIRST_NAME>A &#x26; B &#38; C</FIRST_NAME><COMMENTS1><![CDATA[IMO number: 5571322 <raw>]]></COMMENTS1><SORT_KEY/></ENTITY>");
    const out = parseUnConsolidatedXml(ok);
    expect(out.vessels.map((v) => [v.key, v.name])).toEqual([['7:5571322', 'A & B & C']]);
  });
});

describe('invalid JSON lines', () => {
  it.each([
    ['truncated object', '{"schema":"Vessel","id":"a","properties":{"name":["A"]}}\n{"schema":"Vessel",', 'line 2'],
    ['trailing garbage', '{"schema":"Vessel","id":"a","properties":{}} x', 'line 1'],
    ['NaN literal', '\n\n{"schema":"Vessel","id":NaN}', 'line 3'],
    ['deep nesting', `{"schema":"Vessel","id":"a","properties":{"name":${'['.repeat(200_000)}`, 'line 1'],
  ])('%s', (_label, text, location) => {
    const e = parseError(() => parseOpenSanctionsFtm(text));
    expect(e.location).toBe(location);
  });
});

describe('binary garbage and wrong encodings', () => {
  it('random bytes through decodeText give a ParseError (or a clean empty result) from every parser', () => {
    const next = mulberry32(7);
    const byte = (): number => (next() * 2 ** 32) & 0xff; // the low byte of each 32-bit output
    let errors = 0;
    for (let round = 0; round < 60; round++) {
      const bytes = Uint8Array.from({ length: 200 + round * 37 }, byte);
      const text = decodeText(bytes);
      for (const format of LIST_FORMATS) {
        let out: ParseOutcome | null = null;
        try {
          out = parseList(format, text);
        } catch (err) {
          expect(err, `${format} round ${round}`).toBeInstanceOf(ParseError);
          expect((err as ParseError).location).toMatch(/^line [0-9]+/);
          errors++;
        }
        if (out !== null) expect(out.vessels).toEqual([]);
      }
    }
    expect(errors).toBe(60 * LIST_FORMATS.length);
  });

  it('NUL bytes are reported as binary data with their line', () => {
    const e = parseError(() => parseEuVessels('Vessel name;IMO number ;Date of application\nA;9353113;25.06.2024\nB\0;x;y'));
    expect(e.location).toBe('line 3');
    expect(e.message).toMatch(/binary data/);
  });

  it('UTF-16 read as if it were UTF-8 (a loader bug) fails on the NULs, not with garbage vessels', () => {
    const utf16 = Buffer.from('\ufeffVessel name;IMO number ;Date of application\r\nAngara;9179842;25.06.2024\r\n', 'utf16le');
    expect(parseError(() => parseEuVessels(utf16.toString('utf8'))).message).toMatch(/binary data/);
    expect(parseEuVessels(decodeText(utf16)).vessels.map((v) => v.imo)).toEqual([9179842]);
  });
});

describe('large input', () => {
  // A 50 MB OFAC-shaped file (2% vessel rows, like the real sdn.csv's 851 of 14,965). The loader
  // reads the file into one string (V8 caps strings at ~512 MiB); for 200 MB lists it must
  // stream-read and check the size first (see README).

  it('parses a 50 MB synthetic OFAC CSV in bounded memory', () => {
    // Its speed is measured by `npm run bench -- watchlist-parse`, not asserted here.
    const { text, rows, vessels } = buildOfacFile(50 * 1024 * 1024);
    const heap0 = process.memoryUsage().heapUsed;
    const out = parseOfacSdn(text);
    const heapGrowth = process.memoryUsage().heapUsed - heap0;
    console.log(`50 MB OFAC CSV: ${rows} rows, ${vessels} vessels, heap +${(heapGrowth / 2 ** 20).toFixed(0)} MiB`);
    expect(out.vessels.length).toBe(vessels);
    expect(out.vessels.every((v) => v.imoValid === true && v.mmsi !== null)).toBe(true);
    expect(heapGrowth).toBeLessThan(512 * 2 ** 20);
  }, 60_000);

  it('a broken last row of the 50 MB file fails the whole parse, naming the line', () => {
    const { text, rows } = buildOfacFile(50 * 1024 * 1024);
    const e = parseError(() => parseOfacSdn(`${text}\r\n${rows + 1},"BROKEN`));
    expect(e.location).toBe(`line ${rows + 1}`);
  }, 60_000);
});
