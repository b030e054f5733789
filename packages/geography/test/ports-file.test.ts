import { describe, expect, it } from 'vitest';
import { parsePortsCsv } from '../src/ports-file.ts';

describe('parsePortsCsv: names, countries and ids for port calls', () => {
  it('reads the GFW anchorage layout: s2id as the id, label and iso3', () => {
    const file = parsePortsCsv('s2id,latitude,longitude,label,sublabel,iso3\n356ec741,34.8,128.4,TONGYEONG,,KOR\n,1,2,,,\n');
    expect(file.ports).toEqual([
      { id: '356ec741', name: 'TONGYEONG', country: 'KOR', lon: 128.4, lat: 34.8 },
      { id: 'row:3', name: null, country: null, lon: 2, lat: 1 },
    ]);
    expect(file.points).toEqual(file.ports.map(({ lon, lat }) => ({ lon, lat })));
  });

  it('reads the WPI layout and other spellings; rows without a position have no port entry', () => {
    const wpi = parsePortsCsv('iso3,label,sublabel,latitude,longitude\nTGO,LOME,,6.13,1.28\nXXX,BAD,,north,1\n');
    expect(wpi.ports).toEqual([{ id: 'row:2', name: 'LOME', country: 'TGO', lon: 1.28, lat: 6.13 }]);
    expect(wpi.bad).toBe(1);
    const other = parsePortsCsv('Main Port Name,Country Code,Lat,Lon\n"Nampo, DPRK",PRK,38.7,125.4\n');
    expect(other.ports).toEqual([{ id: 'row:2', name: 'Nampo, DPRK', country: 'PRK', lon: 125.4, lat: 38.7 }]);
    expect(parsePortsCsv('lat,lon\n3,4\n').ports).toEqual([{ id: 'row:2', name: null, country: null, lon: 4, lat: 3 }]);
  });
});
