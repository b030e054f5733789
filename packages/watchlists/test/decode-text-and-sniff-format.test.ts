/**
 * decodeText (BOMs, UTF-16 without BOM, latin-1 fallback) and detectListFormat / parseList.
 */
import { ParseError } from '@rendezvous/errors';
import { describe, expect, it } from 'vitest';
import { decodeTextWithInfo, detectListFormat, parseList } from '../src/index.ts';

const DMA = 'Vessel name;IMO number ;Date of application\r\nQuartanus (formerly\u00a0Morpheus;9247443;21.05.2025\r\nSøløy;9179842;25.06.2024\r\n';

function latin1(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
}
function utf16be(s: string): Uint8Array {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('decodeTextWithInfo', () => {
  it.each([
    ['UTF-8', new TextEncoder().encode(DMA), 'utf-8', false],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DMA, 'utf8')]), 'utf-8', true],
    ['UTF-16LE with BOM', Buffer.from(`\ufeff${DMA}`, 'utf16le'), 'utf-16le', true],
    ['UTF-16BE with BOM', utf16be(`\ufeff${DMA}`), 'utf-16be', true],
    ['UTF-16LE without BOM', Buffer.from(DMA, 'utf16le'), 'utf-16le', false],
    ['UTF-16BE without BOM', utf16be(DMA), 'utf-16be', false],
    ['latin-1 (the DMA file)', latin1(DMA), 'windows-1252', false],
  ])('%s', (_label, bytes, encoding, bom) => {
    const d = decodeTextWithInfo(bytes);
    expect(d.encoding).toBe(encoding);
    expect(d.bom).toBe(bom);
    expect(d.text).toBe(DMA);
    const out = parseList('eu', d.text);
    expect(out.vessels.map((v) => [v.name, v.aliases])).toEqual([
      ['Quartanus', ['Morpheus']],
      ['Søløy', []],
    ]);
  });

  it('windows-1252 bytes 0x80-0x9F are the Windows characters (€, ’), not C1 controls', () => {
    expect(decodeTextWithInfo(Uint8Array.from([0x80, 0x20, 0x92, 0x41])).text).toBe('€ ’A');
  });

  it('UTF-8 with a BOM but invalid bytes falls back to windows-1252', () => {
    const d = decodeTextWithInfo(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0xe6, 0x42]));
    expect(d).toEqual({ text: 'AæB', encoding: 'windows-1252', bom: true });
  });

  it('empty input', () => {
    expect(decodeTextWithInfo(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8', bom: false });
  });
});

describe('detectListFormat', () => {
  it.each([
    ['sdn.csv', '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', 'ofac-sdn'],
    ['x.csv', 'ent_num,sdn_name,program,call_sign,vess_type\n', 'ofac-sdn'],
    ['list.csv', 'celex,amendmentCelex,recordId,programKey,annex,measure,startDate,reason,name,alias,previousName,imoNumber,flag,notes\n', 'eu'],
    ['whatever.txt', '\ufeffVessel name;IMO number ;Date of application\r\n', 'eu'],
    ['ships.csv', 'Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,Sanctions Imposed\n', 'uk'],
    ['UN.xml', "<?xml version='1.0' encoding='UTF-8'?>\n<CONSOLIDATED_LIST xmlns:xsi='x'>", 'un'],
    ['consolidated.xml', "<?xml version='1.0'?>\n", 'un'],
    ['entities.ftm.json', '{"id":"x","schema":"Vessel","properties":{}}\n', 'opensanctions'],
    ['mine.csv', 'IMO, MMSI, Name, Reason, Source\n', 'csv'],
    ['g.csv', 'gur_id,name,imo,mmsi_current,mmsi_legacy,flag,vessel_type,callsign,former_names,build_year,status\n', 'gur'],
  ])('%s → %s', (name, head, want) => {
    expect(detectListFormat(name, head)).toBe(want);
  });

  it('by content, not by name: a GUR file called sdn.csv is GUR', () => {
    expect(detectListFormat('sdn.csv', 'gur_id,name,imo,mmsi_current\n')).toBe('gur');
  });

  it.each([
    ['a.csv', 'foo,bar\n1,2'],
    ['a.xml', '<html></html>'],
    ['a.json', '{"a":1}'],
    ['a.bin', '\x00\x01\x02'],
  ])('unknown content is a ParseError: %s', (name, head) => {
    expect(() => detectListFormat(name, head)).toThrow(ParseError);
  });
});
