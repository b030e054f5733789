import { h } from './dom.ts';
import { knots, utc } from './format.ts';
import { scrollTable } from './port-calls-section.ts';
import type { AlertSummary, VesselVoyages, VoyageLeg } from './types.ts';
import { draughtPair, irregularityLabel, legsSummary, nauticalMiles, portLabel, signedMetres, span, voyageAlertKey } from './voyage-format.ts';

/** A flagged leg's own alert, when the detector raised one (keyed by the leg's two calls). */
type LegAlert = Pick<AlertSummary, 'id'> | undefined;

function legRow(leg: VoyageLeg, alert: LegAlert, search: string): HTMLTableRowElement {
  const flagged = leg.irregularities.length > 0;
  const declared = leg.declaredDestination;
  return h(
    'tr',
    { class: flagged ? 'flagged' : null, 'data-leg': leg.index, 'data-irregularities': flagged ? leg.irregularities.map((i) => i.kind).join(' ') : null },
    h('th', { scope: 'row' }, `${portLabel(leg.from)} → ${portLabel(leg.to)}`),
    // Second, so the flag is in view before the table scrolls: the kinds in words, the alert linked.
    h(
      'td',
      {},
      flagged
        ? h('span', { class: 'flag' }, leg.irregularities.map((i) => irregularityLabel(i.kind)).join(', '), alert ? [' (', h('a', { href: `/alerts/${alert.id}${search}`, 'data-route': '' }, `alert #${alert.id}`), ')'] : null)
        : 'none',
    ),
    h('td', {}, utc(leg.departure)),
    h('td', {}, utc(leg.arrival)),
    h('td', { class: 'num' }, span(leg.durationS)),
    h('td', { class: 'num' }, nauticalMiles(leg.distanceNm)),
    h('td', { class: 'num' }, knots(leg.impliedSpeedKn)),
    h('td', { class: 'num' }, draughtPair(leg.draughtDeparture, leg.draughtArrival), leg.draughtChange === null ? null : ` (${signedMetres(leg.draughtChange)})`),
    h('td', {}, declared ? `${declared.destination ?? '—'} (${utc(declared.declaredAt)})` : '—'),
  );
}

function legsTable(legs: readonly VoyageLeg[], alertOf: (leg: VoyageLeg) => LegAlert, search: string, title: string): HTMLElement {
  const table = h(
    'table',
    { class: 'voyage-legs' },
    h('caption', {}, `${title}: legs by departure (UTC)`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Leg'),
        h('th', { scope: 'col' }, 'Irregularities'),
        h('th', { scope: 'col' }, 'Departure'),
        h('th', { scope: 'col' }, 'Arrival'),
        h('th', { scope: 'col' }, 'Duration'),
        h('th', { scope: 'col' }, 'Distance'),
        h('th', { scope: 'col' }, 'Implied speed'),
        h('th', { scope: 'col' }, 'Draught dep. → arr.'),
        h('th', { scope: 'col' }, 'Declared destination'),
      ),
    ),
    h('tbody', {}, ...legs.map((l) => legRow(l, alertOf(l), search))),
  );
  return scrollTable(title, table);
}

/** The flagged legs' findings with the detector's reasons (long sentences: a list, not a table cell). */
function findings(legs: readonly VoyageLeg[]): HTMLElement | null {
  const flagged = legs.filter((l) => l.irregularities.length > 0);
  if (flagged.length === 0) return null;
  return h(
    'ul',
    { class: 'irregularities' },
    ...flagged.flatMap((l) =>
      l.irregularities.map((i) =>
        h('li', { 'data-leg': l.index, 'data-kind': i.kind }, h('span', { class: 'flag-note' }, `${portLabel(l.from)} → ${portLabel(l.to)}, ${irregularityLabel(i.kind).toLowerCase()}: `), i.reason),
      ),
    ),
  );
}

/**
 * The vessel's voyages (GET /v1/vessels/:mmsi/voyages): per AIS segment, the legs between
 * consecutive calls with distance (port to port, a lower bound of what was sailed), implied speed,
 * draught change and the destination declared, and each leg's irregularities with the detector's
 * reason. A flagged leg names its kinds in words in the table (not by colour alone), and the
 * reasons follow the table.
 */
export function voyagesView(result: VesselVoyages, alerts: readonly AlertSummary[], search: string): HTMLElement[] {
  const byKey = new Map(alerts.filter((a) => a.type === 'voyage_irregularity').map((a) => [a.key, a]));
  if (result.voyages.length === 0) return [h('p', { class: 'meta' }, 'No voyages: no port calls found.')];
  const out: HTMLElement[] = [
    h(
      'p',
      { class: 'meta', id: 'usual-speed' },
      result.usualSpeedKn === null
        ? 'Usual speed: unknown (no legs yet).'
        : `Usual speed: ${knots(result.usualSpeedKn)}, from its own legs; a leg far slower than its distance at this speed hides a stop.`,
    ),
  ];
  result.voyages.forEach((v, i) => {
    const title = result.voyages.length > 1 || v.segment !== null ? `Voyage ${i + 1}${v.segment !== null ? ` (segment ${v.segment})` : ''}` : 'Voyage';
    const calls = `${v.calls.length} call${v.calls.length === 1 ? '' : 's'}${v.ongoing ? ', in port now' : ''}. `;
    out.push(h('h4', {}, title), h('p', { class: 'meta voyage-summary' }, calls, legsSummary(v.legs)));
    // A leg runs between consecutive calls: calls[index] to calls[index + 1].
    const alertOf = (leg: VoyageLeg): LegAlert => {
      const from = v.calls[leg.index];
      const to = v.calls[leg.index + 1];
      return from && to ? byKey.get(voyageAlertKey(from.key, to.key)) : undefined;
    };
    if (v.legs.length > 0) out.push(legsTable(v.legs, alertOf, search, title));
    const found = findings(v.legs);
    if (found) out.push(found);
  });
  return out;
}
