import { ApiError, api } from './api.ts';
import { alertRow } from './alert-row.ts';
import type { AppContext } from './context.ts';
import { facts, fill, h } from './dom.ts';
import { filtersToSearch } from './filters.ts';
import { utc } from './format.ts';
import { portCallMarks, portCallsTable, sanctions } from './port-calls-section.ts';
import type { AlertSummary, VesselIdentity } from './types.ts';
import { voyagesView } from './voyages-section.ts';

const DAY = 86_400_000;
const toInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);

function identityFacts(vessel: VesselIdentity): HTMLElement {
  const mmsi = vessel.mmsi;
  return facts([
    ['MMSI', `${mmsi}${vessel.mmsiValid ? '' : ` (${vessel.mmsiProblem ?? vessel.mmsiKind})`}`],
    ['IMO', vessel.imo === null ? '—' : `${vessel.imo}${vessel.imoValid === false ? ' (check digit fails)' : ''}`],
    ['Call sign', vessel.callsign ?? '—'],
    ['Flag', vessel.flag ?? '—'],
    ['Ship type', vessel.shipType === null ? '—' : String(vessel.shipType)],
    ['Destination', vessel.destination ?? '—'],
    ['Seen', `${utc(vessel.firstSeen)} → ${utc(vessel.lastSeen)}`],
  ]);
}

/**
 * One vessel: identity and its history, list matches, anomalies, a track over a chosen range,
 * its port calls (on the map too) and voyages, its alerts.
 */
export async function showVesselPage(ctx: AppContext, mmsi: number): Promise<void> {
  const search = filtersToSearch(ctx.filters);
  const back = () => h('a', { href: `/${search}`, 'data-route': '', class: 'back' }, '← All alerts');
  fill(ctx.side, back(), h('p', { class: 'status-line', role: 'status' }, 'Loading…'));
  ctx.alerts.select(null);
  ctx.tracks.clear();
  // Alerts name vessels that may never have been ingested here (an imported alert, purged
  // positions): without an identity the page still shows the vessel's alerts and list matches.
  const vessel: VesselIdentity | null = await api.vessel(mmsi).catch(() => null);
  const history = h('div', {}, h('p', { class: 'meta' }, 'Loading…'));
  const matchesBox = h('div', {}, h('p', { class: 'meta' }, 'Loading…'));
  const anomaliesBox = h('div', {}, h('p', { class: 'meta' }, 'Loading…'));
  const alertsList = h('ul', { class: 'alert-list', 'aria-label': `Alerts of ${mmsi}` });
  const portCallsBox = h('div', { id: 'port-calls' }, h('p', { class: 'meta' }, 'Loading…'));
  const voyagesBox = h('div', { id: 'voyages' }, h('p', { class: 'meta' }, 'Loading…'));
  /** Still this vessel's page (a late answer must not draw over the next page's map). */
  const showing = () => location.pathname === `/vessels/${mmsi}`;
  const trackStatus = h('p', { class: 'status-line', role: 'status' });
  const last = vessel ? Date.parse(vessel.lastSeen) : Date.now();
  const from = h('input', { type: 'datetime-local', id: 'track-from', value: toInput(last - DAY) });
  const to = h('input', { type: 'datetime-local', id: 'track-to', value: toInput(last + 60_000) });

  async function loadTrack(): Promise<void> {
    trackStatus.textContent = 'Loading the track…';
    try {
      const track = await api.vesselTrack(mmsi, `${from.value}:00Z`, `${to.value}:00Z`, 20);
      ctx.tracks.showVesselTrack(track.geometry.coordinates, track.properties.isolated.map((i) => i.coordinates));
      // No positions in the range: frame its port calls instead, if they are drawn.
      if (track.properties.points > 0) ctx.tracks.fit();
      else ctx.marks.fit();
      trackStatus.textContent = `${track.properties.points} positions (${track.properties.pointsReturned} drawn).`;
    } catch (err) {
      trackStatus.textContent = `No track: ${(err as Error).message}`;
    }
  }

  fill(
    ctx.side,
    back(),
    h('h2', {}, vessel?.name ?? `MMSI ${mmsi}`),
    vessel === null ? h('p', { class: 'meta' }, 'No AIS position of this MMSI has been ingested here.') : identityFacts(vessel),
    h('h3', {}, 'Track'),
    h(
      'form',
      {
        class: 'filters',
        'aria-label': 'Track range',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const firstTrack = loadTrack();
        },
      },
      h('div', {}, h('label', { for: 'track-from' }, 'From (UTC)'), from),
      h('div', {}, h('label', { for: 'track-to' }, 'To (UTC)'), to),
      h('div', { class: 'wide' }, h('button', { type: 'submit' }, 'Show track')),
    ),
    trackStatus,
    h('h3', {}, 'Identity history'),
    history,
    h('h3', {}, 'List matches'),
    matchesBox,
    h('h3', {}, 'Anomalies'),
    anomaliesBox,
    h('h3', {}, 'Port calls'),
    portCallsBox,
    h('h3', {}, 'Voyages'),
    voyagesBox,
    h('h3', {}, 'Alerts'),
    alertsList,
  );
  const firstTrack = loadTrack();
  api.vesselHistory(mmsi).then(
    (rows) =>
      fill(
        history,
        rows.length === 0
          ? h('p', { class: 'meta' }, 'No identity reported.')
          : h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'First seen'))),
              h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', {}, r.field), h('td', {}, r.value), h('td', {}, utc(r.firstSeen))))),
            ),
      ),
    (err: unknown) => fill(history, h('p', { class: 'error' }, (err as Error).message)),
  );
  api.vesselMatches(mmsi).then(
    (r) =>
      fill(
        matchesBox,
        r.matches.length === 0
          ? h('p', { class: 'meta' }, 'On no list, not a suspect.')
          : h('ul', { class: 'plain' }, ...r.matches.map((m) => h('li', {}, m.kind === 'watchlist' ? `${m.list}: ${m.entryName ?? ''} (${m.rule})` : `suspect: ${m.reason ?? ''} (${m.rule})`))),
      ),
    (err: unknown) => fill(matchesBox, h('p', { class: 'error' }, (err as Error).message)),
  );
  // Anomalies are read from the positions: none without any.
  if (vessel === null) fill(anomaliesBox, h('p', { class: 'meta' }, 'No positions to read.'));
  else api.vesselAnomalies(mmsi).then(
    (r) =>
      fill(
        anomaliesBox,
        r.anomalies.length === 0
          ? h('p', { class: 'meta' }, 'None found.')
          : h('ul', { class: 'plain' }, ...r.anomalies.map((x) => h('li', {}, `${x.severity}: ${x.explanation}`))),
      ),
    (err: unknown) => fill(anomaliesBox, h('p', { class: 'error' }, (err as Error).message)),
  );
  // All its alerts: follow the keyset cursor (a vessel has few; stop at 1 000).
  const alerts: Promise<AlertSummary[]> = (async () => {
    const all: AlertSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.vesselAlerts(mmsi, { sort: '-start', limit: 200, cursor, status: 'ongoing,closed,retracted' });
      alertsList.append(...page.items.map((a) => alertRow(a, search)));
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && all.length < 1000);
    if (all.length === 0) alertsList.append(h('li', { class: 'meta' }, 'No alerts.'));
    return all;
  })();
  alerts.catch((err: unknown) => alertsList.append(h('li', { class: 'error' }, (err as Error).message)));
  // Port calls, marked sanctioned by the vessel's port_call_sanctioned alerts (or the default country list).
  Promise.all([api.vesselPortCalls(mmsi), alerts.catch(() => [] as AlertSummary[])]).then(
    ([r, found]) => {
      if (r.portCalls.length === 0) {
        fill(portCallsBox, h('p', { class: 'meta' }, 'No port calls found.'));
        return;
      }
      const sanctioned = sanctions(r.portCalls, found, ctx.session.sanctionedCountries);
      fill(
        portCallsBox,
        portCallsTable(r.portCalls, sanctioned, search, (c) => ctx.marks.centre(c.port.lon, c.port.lat)),
      );
      if (!showing()) return;
      ctx.marks.show(portCallMarks(r.portCalls, sanctioned), 'port-calls');
      // The first view frames its recent track and its ports together, once the track is drawn.
      void firstTrack.then(() => {
        if (showing()) ctx.marks.fit(11, ctx.tracks.extent());
      });
    },
    (err: unknown) => fill(portCallsBox, h('p', { class: 'error' }, `Port calls: ${(err as Error).message}`)),
  );
  Promise.all([api.vesselVoyages(mmsi), alerts.catch(() => [] as AlertSummary[])]).then(
    ([r, found]) => fill(voyagesBox, voyagesView(r, found, search)),
    // An API from before the voyages route (404) still serves the rest of the page.
    (err: unknown) =>
      fill(
        voyagesBox,
        err instanceof ApiError && err.status === 404
          ? h('p', { class: 'meta', 'data-unavailable': '' }, `Voyages are not available from this API (${err.message}).`)
          : h('p', { class: 'error' }, `Voyages: ${(err as Error).message}`),
      ),
  );
  ctx.onLiveAlert = null;
}
