/**
 * Each parser on small inline fixtures shaped like the real files (always run, no shared data).
 */
import { ParseError } from '@rendezvous/errors';
import { describe, expect, it } from 'vitest';
import {
  parseEuVessels,
  parseGurShadowFleet,
  parseOfacRemarks,
  parseOfacSdn,
  parseOpenSanctionsFtm,
  parsePlainCsv,
  parseUkShips,
  parseUnConsolidatedXml,
} from '../src/index.ts';

describe('parseOfacSdn (raw sdn.csv)', () => {
  const SDN = [
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
    '15036,"ARTAVIL","vessel","IRAN] [NPWMD] [IFSR",-0- ,"T2EU4","Crude/Oil Products Tanker","99,144","56,068","Iran",-0- ,"Former Vessel Flag Malta; alt. Former Vessel Flag None Identified; Vessel Registration Identification IMO 9187629; MMSI 572469210; f.k.a. \'ALPHA\'; a.k.a. \'CAPTAIN\'S LADY\'; Linked To: NATIONAL IRANIAN TANKER COMPANY."',
    '37032,"CHIZHOVKA","vessel","RUSSIA-EO14024",-0- ,-0- ,"Hopper Barge",-0- ,"745","Russia",-0- ,"Vessel Registration Identification IMO  8730455; Linked To: JOINT STOCK COMPANY NORTHERN SHIPPING COMPANY."',
    '33809,"FU YUAN YU 8683","vessel","GLOMAG",-0- ,"5IM 592",-0- ,-0- ,-0- ,"China",-0- ,"Vessel Registration Identification 9894387; Linked To: X."',
    '99999,"BADCHECK","vessel","DPRK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Vessel Registration Identification IMO 9187620."',
    '\x1a',
  ].join('\r\n');

  it('keeps vessel rows only and reads identifiers from the remarks', () => {
    const out = parseOfacSdn(SDN);
    expect(out.vessels.map((v) => v.key)).toEqual(['15036', '37032', '33809', '99999']);
    expect(out.vessels[0]).toMatchObject({
      name: 'ARTAVIL',
      aliases: ['ALPHA', "CAPTAIN'S LADY"],
      imo: 9187629,
      imoRaw: '9187629',
      imoValid: true,
      mmsi: 572469210,
      callsign: 'T2EU4',
      flag: 'Iran',
      formerFlags: ['Malta'],
      vesselType: 'Crude/Oil Products Tanker',
      program: 'IRAN; NPWMD; IFSR',
      listedAt: null,
      source: 'ofac-sdn',
      location: 'line 2',
      subject: 'vessel',
    });
    expect(out.vessels[1]!.imo).toBe(8730455); // two spaces after "IMO"
    // A registration number without "IMO" is not taken as one, even if it passes the check.
    expect(out.vessels[2]).toMatchObject({ imo: null, imoRaw: null, callsign: '5IM592' });
    expect(out.vessels[3]).toMatchObject({ imo: null, imoRaw: '9187620', imoValid: false });
    expect(out.invalidImos).toEqual([{ location: 'line 5', imoRaw: '9187620' }]);
  });

  it('parseOfacRemarks handles n.k.a. and a name ending the remarks', () => {
    expect(parseOfacRemarks("MMSI 273344340; n.k.a. 'NEW NAME'.")).toEqual({
      imo: null,
      mmsi: '273344340',
      aliases: ['NEW NAME'],
      formerFlags: [],
    });
  });

  it('reads the derived vessel file with first_seen_in_scrape as listedAt', () => {
    const derived = [
      'ent_num,sdn_name,program,call_sign,vess_type,tonnage,grt,vess_flag,vess_owner,imo,mmsi,former_names,former_flags,linked_to,first_seen_in_scrape,last_seen_in_scrape,remarks',
      '45330,KAZAN,RUSSIA-EO14024,A8CE6,Crude Oil Tanker,,,Liberia,,9258002,636011916,,,KAZAN SHIPPING INCORPORATED,2023-11-16T18:43:29+00:00,2024-05-03T18:43:23+00:00,Vessel Registration Identification IMO 9258002; MMSI 636011916; Linked To: KAZAN SHIPPING INCORPORATED.',
      '37032,CHIZHOVKA,RUSSIA-EO14024,,Hopper Barge,,745,Russia,,,,,,X,2022-05-08T10:00:00+00:00,2024-05-03T18:43:23+00:00,Vessel Registration Identification IMO  8730455; Linked To: X.',
      '15037,ARK III,IRAN] [SDGT,,Crude/Oil Products Tanker,"99,030","56,068",Iran,,9187655,,ABADEH;CRYSTAL,Malta;None Identified,,2021-08-18T09:39:01+00:00,2024-05-03T18:43:23+00:00,',
    ].join('\n');
    const out = parseOfacSdn(derived);
    expect(out.vessels.map((v) => [v.key, v.imo, v.mmsi, v.listedAt])).toEqual([
      ['45330', 9258002, 636011916, '2023-11-16'],
      ['37032', 8730455, null, '2022-05-08'],
      ['15037', 9187655, null, '2021-08-18'],
    ]);
    expect(out.vessels[2]).toMatchObject({ aliases: ['ABADEH', 'CRYSTAL'], formerFlags: ['Malta'], program: 'IRAN; SDGT' });
  });

  it('rejects a duplicate ent_num and a non-numeric ent_num', () => {
    const row = '15036,"A","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ';
    expect(() => parseOfacSdn(`${row}\n${row}`)).toThrow(/line 2: duplicate ent_num 15036/);
    expect(() => parseOfacSdn(row.replace('15036', 'abc'))).toThrow(/line 1: ent_num must be a number/);
  });
});

describe('parseEuVessels', () => {
  it('OpenSanctions annex shape: program, d.m.yyyy dates, merged re-listing', () => {
    const text = [
      'celex,amendmentCelex,recordId,programKey,annex,measure,startDate,reason,name,alias,previousName,imoNumber,flag,notes,source_file',
      '32014R0833,,3,EU-RUS,XLII,Transportation restrictions,25.6.2024,"Article 3s(2), point (c): energy",Saam FSU,,,9915090,,,consolidated/32014R0833.csv',
      '32014R0833,,5,EU-RUS,XLII,Transportation restrictions,25.6.2024,"reason, with commas",Kavya,,Hana; Other,9353113,Panama,,consolidated/32014R0833.csv',
      '32014R0833,,616,EU-RUS,XLII,Transportation restrictions,24.4.2026,x,Saam FSU II,,,9915090,,,consolidated/32014R0833.csv',
    ].join('\n');
    const out = parseEuVessels(text);
    expect(out.vessels).toHaveLength(2);
    expect(out.vessels[0]).toMatchObject({
      key: '9915090',
      name: 'Saam FSU',
      aliases: ['Saam FSU II'],
      listedAt: '2024-06-25',
      program: 'EU-RUS Annex XLII: Transportation restrictions',
      source: 'eu',
    });
    expect(out.vessels[1]).toMatchObject({ aliases: ['Hana', 'Other'], flag: 'Panama' });
    expect(out.skipped).toEqual([{ location: 'line 4', reason: 'same vessel as line 2 (key 9915090): merged' }]);
  });

  it('DMA shape: ;-separated, "(formerly …)" names, NBSP', () => {
    const text = [
      'Vessel name;IMO number ;Date of application',
      'Kavya (formerly Hana);9353113;25.06.2024',
      '"Apar (formerly Feng Shou; Andromeda Star)";9402471;25.06.2024',
      'Quartanus (formerly\u00a0Morpheus;9247443;21.05.2025',
      'Nameless;;21.05.2025',
    ].join('\r\n');
    const out = parseEuVessels(text);
    expect(out.vessels.map((v) => [v.key, v.name, v.aliases, v.listedAt])).toEqual([
      ['9353113', 'Kavya', ['Hana'], '2024-06-25'],
      ['9402471', 'Apar', ['Feng Shou', 'Andromeda Star'], '2024-06-25'],
      ['9247443', 'Quartanus', ['Morpheus'], '2025-05-21'],
      ['name:NAMELESS', 'Nameless', [], '2025-05-21'],
    ]);
  });

  it('rejects an unknown header and a bad date', () => {
    expect(() => parseEuVessels('a;b;c\n1;2;3')).toThrow(ParseError);
    expect(() => parseEuVessels('Vessel name;IMO number ;Date of application\nX;9353113;31.02.2024')).toThrow(/line 2: bad date/);
  });
});

describe('parseUkShips', () => {
  it('ships only, name-only entries, dd-mm-yyyy and dd/mm/yyyy', () => {
    const text = [
      'Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,Sanctions Imposed',
      'DPR0076,,Hao Fan 6,Democratic People\'s Republic of Korea,Ship,UN,03-10-2017,"De-flag, Prohibition of port entry"',
      'RUS1,123,SOME PERSON,Russia,Individual,UK,01/02/2022,Asset freeze',
      'RUS2000,,ARIA,Russia,Ship,UK,20/05/2025,"Shipping sanctions: (see ""Other information"")"',
    ].join('\n');
    const out = parseUkShips(text);
    expect(out.vessels.map((v) => [v.key, v.name, v.imo, v.listedAt, v.program])).toEqual([
      ['DPR0076', 'Hao Fan 6', null, '2017-10-03', "Democratic People's Republic of Korea (UN): De-flag, Prohibition of port entry"],
      ['RUS2000', 'ARIA', null, '2025-05-20', 'Russia (UK): Shipping sanctions: (see "Other information")'],
    ]);
  });
});

describe('parseUnConsolidatedXml', () => {
  const XML = `<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2025-04-19T23:00:04.625Z'>
    <INDIVIDUALS>
        <INDIVIDUAL>
            <DATAID>1</DATAID>
            <FIRST_NAME>SOME</FIRST_NAME>
            <SECOND_NAME>PERSON</SECOND_NAME>
            <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
            <REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER>
            <LISTED_ON>2016-03-02</LISTED_ON>
            <COMMENTS1>Master of a vessel; no number here.</COMMENTS1>
        </INDIVIDUAL>
    </INDIVIDUALS>
    <ENTITIES>
        <ENTITY>
            <DATAID>6908046</DATAID>
            <FIRST_NAME>OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)</FIRST_NAME>
            <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
            <REFERENCE_NUMBER>KPe.020</REFERENCE_NUMBER>
            <LISTED_ON>2014-07-28</LISTED_ON>
            <COMMENTS1>Operator of the vessel Chong Chon Gang &amp; others. International Maritime Organization (IMO) Number: 1790183.</COMMENTS1>
            <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>East Sea Shipping Company</ALIAS_NAME></ENTITY_ALIAS>
            <ENTITY_ADDRESS><COUNTRY/></ENTITY_ADDRESS>
        </ENTITY>
        <ENTITY>
            <DATAID>6908700</DATAID>
            <FIRST_NAME>KOREA SAMMA SHIPPING CO</FIRST_NAME>
            <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
            <REFERENCE_NUMBER>KPe.060</REFERENCE_NUMBER>
            <LISTED_ON>2018-03-30</LISTED_ON>
            <COMMENTS1><![CDATA[Registered owner of SAM MA 2.
 Company Number IMO 5434358.]]></COMMENTS1>
        </ENTITY>
    </ENTITIES>
</CONSOLIDATED_LIST>`;

  it('turns IMO numbers in record text into company entries pointing at the entity', () => {
    const out = parseUnConsolidatedXml(XML);
    expect(out.vessels).toEqual([
      {
        key: '6908046:1790183',
        name: 'OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)',
        aliases: ['East Sea Shipping Company'],
        imo: null,
        imoRaw: '1790183',
        imoValid: true,
        mmsi: null,
        mmsiLegacy: [],
        callsign: null,
        flag: null,
        formerFlags: [],
        vesselType: null,
        program: 'UN DPRK KPe.020',
        listedAt: '2014-07-28',
        subject: 'company',
        source: 'un',
        location: 'CONSOLIDATED_LIST/ENTITIES/ENTITY[1]/COMMENTS1 (line 21)',
      },
      expect.objectContaining({ key: '6908700:5434358', imoRaw: '5434358', imoValid: false, location: 'CONSOLIDATED_LIST/ENTITIES/ENTITY[2]/COMMENTS1 (line 31)' }),
    ]);
    expect(out.invalidImos).toEqual([]);
  });

  it('rejects a document that is not the UN list', () => {
    expect(() => parseUnConsolidatedXml('<html><body/></html>')).toThrow(/line 1: not a UN consolidated list/);
  });
});

describe('parseOpenSanctionsFtm', () => {
  const lines = [
    JSON.stringify({
      id: 'os-vessel-1',
      schema: 'Vessel',
      properties: {
        name: ['ARTAVIL', 'ARTAVIL II'],
        alias: ['ALPHA'],
        previousName: ['ALPHA', 'BETA'],
        imoNumber: ['IMO 9187629'],
        mmsi: ['572469210'],
        callSign: ['T2EU4'],
        flag: ['ir'],
        pastFlags: ['mt', 'tv'],
        type: ['Crude Oil Tanker'],
        topics: ['sanction'],
        createdAt: ['2020-01-01'],
      },
      first_seen: '2021-05-01T00:00:00',
    }),
    JSON.stringify({ id: 'sanc-1', schema: 'Sanction', properties: { entity: ['os-vessel-1'], startDate: ['2019-11-20'], program: ['IRAN'] } }),
    JSON.stringify({ id: 'os-company', schema: 'Company', properties: { name: ['NITC'] } }),
    '',
    JSON.stringify({ id: 'os-vessel-2', schema: 'Vessel', properties: { name: ['NO DATES'], imoNumber: ['9187620'] }, first_seen: '2023-02-03T04:05:06' }),
    JSON.stringify({ id: 'os-vessel-3', schema: 'Vessel', properties: { name: ['ONLY CREATED'] , createdAt: ['2022-07-01', '2021-07-01'] }, first_seen: '2023-02-03T04:05:06' }),
    JSON.stringify({ id: 'os-vessel-4', schema: 'Vessel', properties: {} }),
  ];

  it('maps Vessel properties and takes listedAt from the Sanction, else createdAt, else first_seen', () => {
    const out = parseOpenSanctionsFtm(lines.join('\n'));
    expect(out.vessels[0]).toMatchObject({
      key: 'os-vessel-1',
      name: 'ARTAVIL',
      aliases: ['ARTAVIL II', 'ALPHA', 'BETA'],
      imo: 9187629,
      imoRaw: 'IMO 9187629',
      mmsi: 572469210,
      callsign: 'T2EU4',
      flag: 'ir',
      formerFlags: ['mt', 'tv'],
      vesselType: 'Crude Oil Tanker',
      program: 'IRAN',
      listedAt: '2019-11-20',
      source: 'opensanctions',
      location: 'line 1',
    });
    expect(out.vessels[1]).toMatchObject({ listedAt: '2023-02-03', imoValid: false });
    expect(out.vessels[2]).toMatchObject({ listedAt: '2021-07-01' });
    expect(out.invalidImos).toEqual([{ location: 'line 5', imoRaw: '9187620' }]);
    expect(out.skipped).toEqual([{ location: 'line 7', reason: 'Vessel os-vessel-4 has no name, IMO or MMSI' }]);
  });

  it('reads Sanction entities nested in a vessel (targets.nested.json)', () => {
    const nested = JSON.stringify({
      id: 'v', schema: 'Vessel',
      properties: { name: ['X'], sanctions: [{ id: 's', schema: 'Sanction', properties: { listingDate: ['2024-02-23'], programId: ['US-RUS'] } }] },
    });
    expect(parseOpenSanctionsFtm(nested).vessels[0]).toMatchObject({ listedAt: '2024-02-23', program: 'US-RUS' });
  });

  it('a malformed line fails the whole file, naming the line', () => {
    const bad = [...lines.slice(0, 2), '{"id": "x", "schema": "Vessel", "properties": {', ...lines.slice(2)].join('\n');
    expect(() => parseOpenSanctionsFtm(bad)).toThrow(/^line 3: invalid JSON/);
    expect(() => parseOpenSanctionsFtm('[1,2]')).toThrow(/line 1: expected a JSON object/);
    expect(() => parseOpenSanctionsFtm('{"id":"x"}')).toThrow(/line 1: entity has no "schema"/);
  });
});

describe('parsePlainCsv', () => {
  it('reads the analyst format in any column order, with optional listed_at', () => {
    const text = [
      'name,imo,mmsi,reason,source,listed_at,extra',
      'KAZAN,9258002,636011916,STS with sanctioned tanker,analyst A,2024-03-01,x',
      'NO IMO,,273344340,dark activity,,,',
      'ONLY NAME,,,,,,',
      'BAD CHECK,9258003,,,,,',
      ',,,,,,',
    ].join('\n');
    const out = parsePlainCsv(text);
    expect(out.vessels.map((v) => [v.key, v.imo, v.mmsi, v.program, v.listedAt])).toEqual([
      ['9258002', 9258002, 636011916, 'STS with sanctioned tanker (source: analyst A)', '2024-03-01'],
      ['mmsi:273344340', null, 273344340, 'dark activity', null],
      ['name:ONLY NAME', null, null, null, null],
      ['imo:9258003', null, null, null, null],
    ]);
    expect(out.invalidImos).toEqual([{ location: 'line 5', imoRaw: '9258003' }]);
    expect(out.skipped).toEqual([{ location: 'line 6', reason: 'no IMO, MMSI or name' }]);
  });

  it('is strict about its own format', () => {
    expect(() => parsePlainCsv('imo,mmsi,name\n9258002,63601191,X')).toThrow(/line 2: mmsi "63601191" is not 9 digits/);
    expect(() => parsePlainCsv('imo,mmsi,name,listed_at\n9258002,,X,01/03/2024')).toThrow(/line 2: listed_at/);
    expect(() => parsePlainCsv('imo,name\n9258002,X')).toThrow(/line 1: header lacks column\(s\) mmsi/);
    expect(() => parsePlainCsv('imo,mmsi,name\n9258002,,X\n9258002,,Y')).toThrow(/line 3: duplicate vessel 9258002/);
  });
});

describe('parseGurShadowFleet', () => {
  it('handles the scrape artefacts field by field', () => {
    const text = [
      'gur_id,name,imo,mmsi_current,mmsi_legacy,flag,vessel_type,callsign,former_names,build_year,status',
      '1,ADLER,9179854,273414440,273414440,russian federation,Ro-Ro Cargo Ship,UGPS,Rio Kelan / BBC Kelan / Ocean Power,1998,listed',
      '373,YANA V,9931226,Call sign,273612940,russian federation,General cargo ship,Vessel name,Evolution A,2022,listed',
      '97,AUDAX,9763837,Call sign,\ufffd620999375,unknown,Heavy Load Carrier,Vessel Type,Flags (former),2016,listed',
      '219,SHELLEST,RS 150443,273385420,,russian federation,Yacht,UBAO8,,2010,listed',
      ',KOROGLU,9347231,,423242100,,,,,,delisted_from_gur',
    ].join('\n');
    const out = parseGurShadowFleet(text);
    expect(out.vessels.map((v) => [v.key, v.mmsi, v.mmsiLegacy, v.callsign, v.flag, v.aliases, v.program])).toEqual([
      ['1', 273414440, [], 'UGPS', 'russian federation', ['Rio Kelan', 'BBC Kelan', 'Ocean Power'], 'GUR shadow fleet: listed'],
      ['373', null, [273612940], null, 'russian federation', ['Evolution A'], 'GUR shadow fleet: listed'],
      ['97', null, [620999375], null, null, [], 'GUR shadow fleet: listed'],
      ['219', 273385420, [], 'UBAO8', 'russian federation', [], 'GUR shadow fleet: listed'],
      ['9347231', null, [423242100], null, null, [], 'GUR shadow fleet: delisted_from_gur'],
    ]);
    expect(out.invalidImos).toEqual([{ location: 'line 5', imoRaw: 'RS 150443' }]);
  });
});
