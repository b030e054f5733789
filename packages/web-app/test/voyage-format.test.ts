import { describe, expect, it } from 'vitest';
import type { PortCall } from '../src/types.ts';
import { callSanction, draughtPair, irregularityLabel, legsSummary, nauticalMiles, portLabel, sanctionedAlertKey, signedMetres, span, voyageAlertKey } from '../src/voyage-format.ts';

const call = (key: string, country: string | null, name: string | null = 'Nampho'): PortCall => ({
  key,
  mmsi: 445_123_000,
  segment: null,
  port: { id: 'wpi-1', name, country, lon: 125.38, lat: 38.73 },
  arrival: '2026-11-20T04:00:00.000Z',
  departure: null,
  durationS: null,
  draughtArrival: null,
  draughtDeparture: null,
  reasons: [],
});

describe('sanctioned port calls on the vessel page', () => {
  it('names the alert the detector keys after the call (services/detector sanctioned-port-writes.ts)', () => {
    expect(sanctionedAlertKey('port_call:445123000:wpi-1:2026-11-20T04:00:00.000Z')).toBe('port_call_sanctioned:445123000:wpi-1:2026-11-20T04:00:00.000Z');
  });

  it("names a leg's voyage_irregularity alert by its two calls (services/detector sanctions-writes.ts)", () => {
    expect(voyageAlertKey('port_call:1:a:t1', 'port_call:1:b:t2')).toBe('voyage_irregularity:1:a:t1>1:b:t2');
  });

  it("marks a call by its alert first, whatever the port's country, and links it", () => {
    const c = call('port_call:445123000:wpi-1:t', 'CHN', 'Longkou');
    const s = callSanction(c, [{ id: 7, key: 'port_call_sanctioned:445123000:wpi-1:t', type: 'port_call_sanctioned' }]);
    expect(s).toEqual({ sanctioned: true, text: 'Sanctioned port call (alert #7)', alertId: 7 });
  });

  it('marks a call in a listed country (default PRK) without an alert, and says so in words', () => {
    expect(callSanction(call('port_call:1:a:t', 'PRK'), [])).toEqual({ sanctioned: true, text: 'Sanctioned country (PRK)', alertId: null });
    expect(callSanction(call('port_call:1:a:t', 'prk'), []).sanctioned).toBe(true);
  });

  it('leaves other calls alone: another country, no country, an alert of another type or call', () => {
    expect(callSanction(call('port_call:1:a:t', 'NLD'), []).sanctioned).toBe(false);
    expect(callSanction(call('port_call:1:a:t', null), []).sanctioned).toBe(false);
    const other = [
      { id: 1, key: 'port_call_sanctioned:1:b:t', type: 'port_call_sanctioned' },
      { id: 2, key: 'port_call_sanctioned:1:a:t', type: 'voyage_irregularity' },
    ];
    expect(callSanction(call('port_call:1:a:t', 'NLD'), other)).toEqual({ sanctioned: false, text: null, alertId: null });
    // A configured list replaces the default.
    expect(callSanction(call('port_call:1:a:t', 'PRK'), [], ['IRN']).sanctioned).toBe(false);
  });
});

describe('port call and voyage figures', () => {
  it('labels ports by name and country, or by id when unnamed', () => {
    expect(portLabel({ id: 'wpi-1', name: 'Nampho', country: 'PRK' })).toBe('Nampho, PRK');
    expect(portLabel({ id: 'gfw-xyz', name: null, country: null })).toBe('gfw-xyz');
    expect(portLabel({ id: 'gfw-xyz', name: '  ', country: 'EGY' })).toBe('gfw-xyz, EGY');
  });

  it('reads spans in days past a day, hours and minutes under', () => {
    expect(span(40 * 60)).toBe('40 min');
    expect(span(5 * 3600 + 20 * 60)).toBe('5 h 20 min');
    // 59.6 min rounds to an hour, not "60 min".
    expect(span(3599 - 23)).toBe('1 h 0 min');
    expect(span(3 * 86_400 + 4 * 3600 + 10 * 60)).toBe('3 d 4 h');
    expect(span(null)).toBe('—');
    expect(span(-5)).toBe('0 min');
  });

  it('writes draughts with their decimal and changes with their sign', () => {
    expect(draughtPair(8, 14.25)).toBe('8.0 → 14.3 m');
    expect(draughtPair(null, 9.1)).toBe('— → 9.1 m');
    expect(draughtPair(null, null)).toBe('—');
    expect(signedMetres(6)).toBe('+6.0 m');
    expect(signedMetres(-1.46)).toBe('−1.5 m');
    expect(signedMetres(0.01)).toBe('0.0 m');
    expect(signedMetres(null)).toBe('—');
  });

  it('writes distances in nautical miles, one decimal under 100', () => {
    expect(nauticalMiles(8.44)).toBe('8.4 nm');
    expect(nauticalMiles(1234.4)).toBe('1,234 nm');
    expect(nauticalMiles(null)).toBe('—');
  });

  it('names irregularities, known kinds and new ones alike', () => {
    expect(irregularityLabel('hidden_stop')).toBe('Hidden stop');
    expect(irregularityLabel('destination_mismatch')).toBe('Destination mismatch');
    expect(irregularityLabel('loaded_in_the_dark')).toBe('Loaded in the dark');
  });

  it('sums up the legs a voyage flags', () => {
    expect(legsSummary([])).toBe('No legs yet: one call only.');
    expect(legsSummary([{ irregularities: [] }])).toBe('1 leg, none flagged.');
    expect(legsSummary([{ irregularities: [] }, { irregularities: [{ kind: 'hidden_stop' }, { kind: 'draught_change_at_sea' }] }, { irregularities: [{ kind: 'hidden_stop' }] }])).toBe(
      '2 of 3 legs flagged: hidden stop, draught change at sea.',
    );
  });
});
