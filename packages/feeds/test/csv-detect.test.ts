import { describe, expect, it } from 'vitest';
import { ParseError } from '@rendezvous/errors';
import { createCsvRowParser, detectFormat } from '../src/index.ts';

const MC = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
const DMA =
  '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type';

describe('detectFormat', () => {
  it('recognises the MarineCadastre header and its variants', () => {
    expect(detectFormat(MC)).toBe('marinecadastre');
    expect(detectFormat(MC + '\r')).toBe('marinecadastre');
    expect(detectFormat('\uFEFF' + MC)).toBe('marinecadastre');
    // 2015–2017 vintage: no TransceiverClass
    expect(detectFormat('MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo')).toBe('marinecadastre');
    // reordered, lower/snake case, spaces, quoted names
    expect(detectFormat(' base_date_time , mmsi ,"lon","lat",sog')).toBe('marinecadastre');
    // leading pandas index column
    expect(detectFormat(',' + MC)).toBe('marinecadastre');
    // semicolon-separated re-export
    expect(detectFormat(MC.replaceAll(',', ';'))).toBe('marinecadastre');
  });

  it('recognises the DMA aisdk header, with index column, BOM, A–D columns', () => {
    expect(detectFormat(DMA)).toBe('dma-aisdk');
    expect(detectFormat(',' + DMA)).toBe('dma-aisdk');
    expect(detectFormat('\uFEFF' + DMA + ',A,B,C,D')).toBe('dma-aisdk');
    expect(detectFormat(DMA.toUpperCase())).toBe('dma-aisdk');
  });

  it('recognises NMEA lines', () => {
    expect(detectFormat('!AIVDM,1,1,,A,15Mj23P000G?q7fK>g:o7@1:0L3S,0*1B')).toBe('nmea');
    expect(detectFormat('\\s:2573105,c:1671620143*0B\\!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24')).toBe('nmea');
    expect(detectFormat('$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17')).toBe('nmea');
    expect(detectFormat('\uFEFF!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13')).toBe('nmea');
    expect(detectFormat('1609459200.123 !AIVDM,1,1,,A,15Mj23P000G?q7fK>g:o7@1:0L3S,0*1B')).toBe('nmea');
    expect(detectFormat('1609459200 \\c:1609459200*00\\!AIVDM')).toBe('nmea');
  });

  it('says unknown for everything else', () => {
    expect(detectFormat('')).toBe('unknown');
    expect(detectFormat('\uFEFF   ')).toBe('unknown');
    expect(detectFormat('338148873,2022-01-03T00:00:00,33.6,-117.9')).toBe('unknown'); // headerless data row
    expect(detectFormat('mmsi,time,x,y')).toBe('unknown');
    // a generic export with a "timestamp" column is not DMA without DMA's own columns
    expect(detectFormat('timestamp,mmsi,latitude,longitude')).toBe('unknown');
    expect(detectFormat('"unterminated,MMSI')).toBe('unknown');
    expect(detectFormat('12 apples')).toBe('unknown');
  });
});

describe('createCsvRowParser', () => {
  it('picks the parser from the header', () => {
    expect(createCsvRowParser(MC).format).toBe('marinecadastre');
    expect(createCsvRowParser(MC).columns).toBe(17);
    expect(createCsvRowParser(',' + DMA + ',A,B,C,D').format).toBe('dma-aisdk');
    expect(createCsvRowParser(',' + DMA + ',A,B,C,D').columns).toBe(27);
  });

  it('throws ParseError for a file it cannot read at all', () => {
    expect(() => createCsvRowParser('foo,bar')).toThrow(ParseError);
    expect(() => createCsvRowParser('!AIVDM,1,1,,A,15Mj23P000G?q7fK>g:o7@1:0L3S,0*1B')).toThrow(/NMEA/);
    try {
      createCsvRowParser('foo,bar');
    } catch (e) {
      expect((e as ParseError).code).toBe('parse_failed');
      expect((e as ParseError).location).toBe('line 1');
    }
  });
});
