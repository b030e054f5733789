import { h } from './dom.ts';
import { utc } from './format.ts';
import type { Mark } from './map/mark-layer.ts';
import type { AlertSummary, PortCall } from './types.ts';
import { callSanction, draughtPair, portLabel, span, type CallSanction } from './voyage-format.ts';

/** A table wide enough to scroll sideways in the side panel: focusable, so the keyboard scrolls it too. */
export function scrollTable(label: string, table: HTMLTableElement): HTMLDivElement {
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label }, table);
}

/** The sanction of each call, by its key. */
export function sanctions(calls: readonly PortCall[], alerts: readonly AlertSummary[], countries: readonly string[]): Map<string, CallSanction> {
  return new Map(calls.map((c) => [c.key, callSanction(c, alerts, countries)]));
}

/** The calls as map points, sanctioned ones emphasised and said so in their label. */
export function portCallMarks(calls: readonly PortCall[], sanctioned: Map<string, CallSanction>): Mark[] {
  // One point per port, however often the vessel called there; its label counts the calls.
  const byPort = new Map<string, { call: PortCall; count: number; sanctioned: boolean }>();
  for (const c of calls) {
    const seen = byPort.get(c.port.id);
    const s = sanctioned.get(c.key)?.sanctioned ?? false;
    if (seen) {
      seen.count += 1;
      seen.sanctioned ||= s;
    } else byPort.set(c.port.id, { call: c, count: 1, sanctioned: s });
  }
  return [...byPort.values()].map(({ call, count, sanctioned: s }) => ({
    geometry: { type: 'Point', coordinates: [call.port.lon, call.port.lat] },
    label: `${portLabel(call.port)}${count > 1 ? ` ×${count}` : ''}${s ? ' (sanctioned)' : ''}`,
    emphasis: s,
  }));
}

/**
 * The vessel's port calls as a table: port (a button that shows it on the map), arrival,
 * departure or "in port", duration, draught on arrival and departure, and what the detector noted
 * (an arrival hidden by a silence). A call at a sanctioned port says so in words under its name.
 */
export function portCallsTable(calls: readonly PortCall[], sanctioned: Map<string, CallSanction>, search: string, show: (call: PortCall) => void): HTMLElement {
  const flagged = calls.filter((c) => sanctioned.get(c.key)?.sanctioned).length;
  const caption = `${calls.length} port call${calls.length === 1 ? '' : 's'} by arrival (UTC)${flagged > 0 ? `, ${flagged} at a sanctioned port` : ''}`;
  const table = h(
    'table',
    { id: 'port-calls-table' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Port'),
        h('th', { scope: 'col' }, 'Arrival'),
        h('th', { scope: 'col' }, 'Departure'),
        h('th', { scope: 'col' }, 'Duration'),
        h('th', { scope: 'col' }, 'Draught arr. → dep.'),
        h('th', { scope: 'col' }, 'Notes'),
      ),
    ),
    h(
      'tbody',
      {},
      ...calls.map((c) => {
        const s = sanctioned.get(c.key);
        return h(
          'tr',
          { class: s?.sanctioned ? 'sanctioned' : null, 'data-port-call': c.key, 'data-sanctioned': s?.sanctioned ? 'true' : null },
          h(
            'th',
            { scope: 'row' },
            h('button', { type: 'button', class: 'link-button', onclick: () => show(c) }, portLabel(c.port), h('span', { class: 'visually-hidden' }, ' (show on the map)')),
            s?.sanctioned
              ? h(
                  'div',
                  { class: 'flag' },
                  s.alertId !== null ? h('a', { href: `/alerts/${s.alertId}${search}`, 'data-route': '' }, s.text) : s.text,
                )
              : null,
          ),
          h('td', {}, utc(c.arrival)),
          h('td', {}, c.departure === null ? 'in port' : utc(c.departure)),
          h('td', { class: 'num' }, c.durationS === null ? 'ongoing' : span(c.durationS)),
          h('td', { class: 'num' }, draughtPair(c.draughtArrival, c.draughtDeparture)),
          h('td', { class: 'wrap' }, c.reasons.length === 0 ? '—' : c.reasons.join('; ')),
        );
      }),
    ),
  );
  return scrollTable('Port calls', table);
}
