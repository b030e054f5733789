import { ApiError, api, download } from './api.ts';
import { scoreClass } from './alert-row.ts';
import { behaviourMarks, factRows, placeLines } from './behaviour-format.ts';
import { distanceSeries, evidenceCharts, type TrackSeries } from './charts.ts';
import type { AppContext } from './context.ts';
import { facts, fill, h } from './dom.ts';
import { filtersToSearch } from './filters.ts';
import { duration, knots, metres, typeLabel, utc, vesselName } from './format.ts';
import type { AlertDetail, EvidenceTrack, TriageState, VesselSnapshot } from './types.ts';

const TRIAGE_ACTIONS: { state: TriageState; label: string }[] = [
  { state: 'acknowledged', label: 'Acknowledge' },
  { state: 'escalated', label: 'Escalate' },
  { state: 'dismissed', label: 'Dismiss' },
];

function series(track: EvidenceTrack | null | undefined): TrackSeries | null {
  if (!track?.geometry) return null;
  const coords = track.geometry.type === 'LineString' ? track.geometry.coordinates : [track.geometry.coordinates];
  return {
    points: coords.map(([lon, lat], i) => ({ t: Date.parse(track.properties.times[i]!), lon, lat })),
    sog: track.properties.sog,
  };
}

/**
 * What the behaviour itself establishes (the API's behaviour view): the detector's reasons, its
 * facts and its places, whatever the type names (new types bring new facts: they show as given).
 */
function behaviourSection(b: NonNullable<AlertDetail['behaviour']>): HTMLElement[] {
  const rows = factRows(b.facts);
  const places = placeLines(b.geometry.features);
  const parts: (HTMLElement | null)[] = [
    h('h3', {}, 'What was established'),
    b.reasons.length === 0 ? h('p', { class: 'meta' }, 'No reasons recorded.') : h('ul', { class: 'plain', id: 'behaviour-reasons' }, ...b.reasons.map((r) => h('li', {}, r))),
    rows.length > 0 ? h('div', { id: 'behaviour-facts' }, facts(rows)) : null,
    places.length > 0 ? h('div', {}, h('h4', {}, 'Places'), h('ul', { class: 'plain', id: 'behaviour-places' }, ...places.map((p) => h('li', {}, p)))) : null,
  ];
  return parts.filter((e): e is HTMLElement => e !== null);
}

function vesselCard(v: VesselSnapshot, which: 'a' | 'b', search: string): HTMLElement {
  return h(
    'section',
    { class: `vessel-card ${which}`, 'aria-label': `Vessel ${which.toUpperCase()}` },
    h('h4', {}, h('a', { href: `/vessels/${v.mmsi}${search}`, 'data-route': '' }, v.name ?? `MMSI ${v.mmsi}`)),
    facts([
      ['MMSI', String(v.mmsi)],
      ['IMO', v.imo === null ? '—' : String(v.imo)],
      ['Call sign', v.callsign ?? '—'],
      ['Flag', v.flag ?? '—'],
      ['Ship type', v.shipType === null ? '—' : String(v.shipType)],
    ]),
    h('p', { class: 'meta' }, 'Lists: ', v.listMatches.length === 0 ? 'none' : v.listMatches.map((m) => `${m.list} (${m.rule}${m.entryName ? `: ${m.entryName}` : ''})`).join('; ')),
    v.suspects.length > 0 ? h('p', { class: 'meta' }, 'Suspect: ', v.suspects.map((s) => `#${s.suspectId} ${s.reason}`).join('; ')) : null,
    h('p', { class: 'meta' }, 'Anomalies: ', v.anomalies.length === 0 ? 'none' : v.anomalies.join(', ')),
  );
}

/** One alert: map tracks, charts, why it scored, who the vessels were, triage and exports. */
export async function showAlertPage(ctx: AppContext, id: number, markSeen: (id: number) => void): Promise<void> {
  const search = filtersToSearch(ctx.filters);
  fill(ctx.side, h('a', { href: `/${search}`, 'data-route': '', class: 'back' }, '← All alerts'), h('p', { class: 'status-line', role: 'status' }, 'Loading…'));
  let alert: AlertDetail;
  try {
    alert = await api.alert(id);
  } catch (err) {
    fill(ctx.side, h('a', { href: `/${search}`, 'data-route': '', class: 'back' }, '← All alerts'), h('p', { class: 'error', role: 'alert' }, `Alert ${id}: ${(err as Error).message}`));
    return;
  }
  markSeen(id);
  flash = '';
  render(ctx, alert, true);
  ctx.onLiveAlert = (a) => {
    // Another analyst (or the detector) changed this alert: show the new state.
    if (a.id !== id) return;
    void api.alert(id).then((fresh) => render(ctx, fresh, false), () => undefined);
  };
}

/** The last triage outcome, kept when a live change redraws the page. */
let flash = '';

function render(ctx: AppContext, alert: AlertDetail, fitMap: boolean): void {
  // A live redraw must not lose a note being typed.
  const typed = (document.getElementById('triage-note') as HTMLTextAreaElement | null)?.value ?? '';
  const search = filtersToSearch(ctx.filters);
  const a = series(alert.evidence?.trackA);
  const b = series(alert.evidence?.trackB);
  const labelA = alert.vesselA.name ?? String(alert.vesselA.mmsi);
  const labelB = alert.vesselB ? (alert.vesselB.name ?? String(alert.vesselB.mmsi)) : '';
  const closest = a && b ? distanceSeries(a, b).closest : null;
  ctx.tracks.showEvidence(
    [
      ...(a ? [{ vessel: 'a' as const, label: labelA, points: a.points }] : []),
      ...(b ? [{ vessel: 'b' as const, label: labelB, points: b.points }] : []),
    ],
    closest,
  );
  ctx.alerts.select(alert.id);
  // The behaviour's places (a port, a gap's off and on points, a voyage's two ports) over the tracks.
  const marks = alert.behaviour ? behaviourMarks(alert.behaviour.geometry.features) : [];
  if (marks.length > 0) ctx.marks.show(marks, 'behaviour');
  else ctx.marks.clear();
  if (fitMap) {
    if (ctx.tracks.extent()) ctx.tracks.fit();
    else if (marks.length > 0) ctx.marks.fit();
    else ctx.view.fitLonLat(alert.centroid.lon - 0.2, alert.centroid.lat - 0.2, alert.centroid.lon + 0.2, alert.centroid.lat + 0.2);
  }

  const status = h('p', { class: 'status-line', role: 'status', id: 'triage-status' }, flash);
  const note = h('textarea', { id: 'triage-note', name: 'note', maxlength: 2000, placeholder: 'Why (optional)' });
  note.value = fitMap ? '' : typed;
  const triage = ctx.canTriage()
    ? h(
        'section',
        { class: 'triage-box', 'aria-labelledby': 'triage-title' },
        h('h3', { id: 'triage-title' }, 'Triage'),
        h('label', { for: 'triage-note' }, 'Note'),
        note,
        h(
          'div',
          { class: 'triage-buttons' },
          ...TRIAGE_ACTIONS.map((t) =>
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-triage-action': t.state,
                disabled: alert.triage.state === t.state,
                onclick: async () => {
                  status.textContent = 'Saving…';
                  try {
                    const updated = await api.triage(alert.id, t.state, note.value.trim());
                    note.value = '';
                    flash = `Saved: ${updated.triage.state}.`;
                    render(ctx, updated, false);
                  } catch (err) {
                    status.textContent = `Not saved: ${err instanceof ApiError ? err.message : (err as Error).message}`;
                  }
                },
              },
              t.label,
            ),
          ),
        ),
        status,
      )
    : null;

  const charts = h('div', { class: 'charts', id: 'charts' });
  const exportStatus = h('span', { class: 'meta', role: 'status' });
  const exportButton = (label: string, path: string, file: string, accept?: string) =>
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          exportStatus.textContent = 'Preparing…';
          download(path, file, accept).then(
            () => (exportStatus.textContent = `Downloaded ${file}.`),
            (err: unknown) => (exportStatus.textContent = `Export failed: ${(err as Error).message}`),
          );
        },
      },
      label,
    );

  fill(
    ctx.side,
    h('a', { href: `/${search}`, 'data-route': '', class: 'back' }, '← All alerts'),
    h('h2', {}, h('span', { class: scoreClass(alert.score), 'aria-label': `score ${Math.round(alert.score)}` }, Math.round(alert.score)), ` ${typeLabel(alert.type)} #${alert.id}`),
    facts([
      ['Vessels', alert.vesselB ? `${vesselName(alert.vesselA)} and ${vesselName(alert.vesselB)}` : vesselName(alert.vesselA)],
      ['When', `${utc(alert.start)} → ${utc(alert.end)} (${duration(alert.durationS)})`],
      ['Closest', metres(alert.closestM)],
      ['Median distance', metres(alert.medianM)],
      ['Median speeds', `${knots(alert.medianSogA)}${alert.vesselB ? ` / ${knots(alert.medianSogB)}` : ''}`],
      ['Where', `${alert.centroid.lat.toFixed(4)}, ${alert.centroid.lon.toFixed(4)}${alert.inPort ? ' (in port)' : ''}`],
      ['Status', alert.status + (alert.retraction?.reason ? ` — ${alert.retraction.reason}` : '')],
      ['Triage', h('span', { id: 'triage-state', 'data-triage': alert.triage.state }, alert.triage.state + (alert.triage.by ? ` by ${alert.triage.by}` : ''))],
      ['Watchlists', alert.watchlists.join(', ') || 'none'],
    ]),
    triage,
    h('h3', {}, 'Charts'),
    charts,
    h('h3', {}, 'Score factors'),
    h(
      'table',
      { id: 'score-factors' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Factor'), h('th', { scope: 'col' }, 'Points'), h('th', { scope: 'col' }, 'Why'))),
      h('tbody', {}, ...alert.scoreFactors.map((f) => h('tr', {}, h('td', {}, f.factor.replace(/_/g, ' ')), h('td', { class: 'num' }, f.points > 0 ? `+${f.points}` : String(f.points)), h('td', {}, f.detail)))),
    ),
    alert.behaviour ? behaviourSection(alert.behaviour) : null,
    h('h3', {}, 'Vessels at the time'),
    h('div', { class: 'vessels' }, vesselCard(alert.vesselA, 'a', search), alert.vesselB ? vesselCard(alert.vesselB, 'b', search) : null),
    h('h3', {}, 'Triage history'),
    alert.history.length === 0
      ? h('p', { class: 'meta' }, 'Not triaged yet.')
      : h('ol', { class: 'plain', id: 'triage-history' }, ...alert.history.map((e) => h('li', {}, `${utc(e.at)} ${e.by}: ${e.from} → ${e.to}${e.note ? ` — “${e.note}”` : ''}`))),
    h('h3', {}, 'Export'),
    h(
      'div',
      { class: 'exports' },
      exportButton('Evidence (zip)', `/v1/alerts/${alert.id}/evidence.zip`, `alert-${alert.id}-evidence.zip`),
      exportButton('Alert (JSON)', `/v1/alerts/${alert.id}`, `alert-${alert.id}.json`, 'application/json'),
      exportButton('Triage history (JSON)', `/v1/alerts/${alert.id}/history`, `alert-${alert.id}-history.json`),
    ),
    exportStatus,
  );
  if (a) evidenceCharts(charts, a, b, { a: labelA, b: labelB });
  else charts.append(h('p', { class: 'meta' }, 'No evidence track stored for this alert.'));
}
