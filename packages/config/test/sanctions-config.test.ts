import { describe, expect, it } from 'vitest';
import { ConfigError } from '@rendezvous/errors';
import { loadConfig } from '../src/index.ts';

describe('SANCTIONED_* variables', () => {
  it('default: PRK and the shipped files (null)', () => {
    expect(loadConfig({}).sanctions).toEqual({ countries: ['PRK'], portsFile: null, areasFile: null });
  });
  it('a list is trimmed, upper-cased and deduplicated; off = none; file paths and off pass through', () => {
    const c = loadConfig({ SANCTIONED_COUNTRIES: 'prk, IRN,PRK', SANCTIONED_PORTS_FILE: '/data/p.geojson', SANCTIONED_AREAS_FILE: 'off' });
    expect(c.sanctions).toEqual({ countries: ['PRK', 'IRN'], portsFile: '/data/p.geojson', areasFile: 'off' });
    expect(loadConfig({ SANCTIONED_COUNTRIES: 'off' }).sanctions.countries).toEqual([]);
  });
  it.each(['KP', 'PRK;IRN', 'PRK,', 'NORTH KOREA'])('rejects SANCTIONED_COUNTRIES=%s naming the variable', (value) => {
    let error: unknown;
    try {
      loadConfig({ SANCTIONED_COUNTRIES: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['SANCTIONED_COUNTRIES']);
  });
});
