import { ApiError, api, download, query } from './api.ts';
import { alertRow } from './alert-row.ts';
import type { AppContext } from './context.ts';
import { fill, h } from './dom.ts';
import { SORTS, apiParams, filtersToSearch, matches, parseVesselSearch, type Filters, type Sort } from './filters.ts';
import { TYPE_LABEL } from './format.ts';
import { ALERT_STATUSES, ALERT_TYPES, TRIAGE_STATES, type AlertSummary } from './types.ts';

const PAGE = 100;
const SORT_LABEL: Record<Sort, string> = { '-score': 'Score, highest first', '-start': 'Newest first', start: 'Oldest first', score: 'Score, lowest first' };

/** `2025-01-31T12:00:00Z` ↔ the value of an <input type=datetime-local> read as UTC. */
const toInput = (iso: string | undefined) => (iso ? new Date(iso).toISOString().slice(0, 16) : '');
const fromInput = (v: string) => (v ? `${v}:00Z` : undefined);

function checkboxes(legend: string, name: string, values: readonly string[], selected: string | undefined, label: (v: string) => string = (v) => v) {
  const set = new Set(selected?.split(',') ?? []);
  return h(
    'fieldset',
    { class: 'wide' },
    h('legend', {}, legend),
    ...values.map((v) => h('label', {}, h('input', { type: 'checkbox', name, value: v, checked: set.has(v) }), ` ${label(v)}`)),
  );
}

/** The list beside the map: filters (kept in the URL), sort, keyset-paged alerts, live updates. */
export function showListPage(ctx: AppContext, watchlists: string[]): void {
  const f = ctx.filters;
  const status = h('p', { class: 'status-line', role: 'status' });
  const list = h('ul', { class: 'alert-list', 'aria-label': 'Alerts' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const shown = h('span', { class: 'meta', id: 'shown-count' });
  let cursor: string | null = null;
  let loaded = 0;
  let generation = 0;

  const search = h('input', { type: 'text', id: 'f-search', name: 'search', placeholder: 'MMSI or IMO', value: f.mmsi ?? (f.imo ? `IMO ${f.imo}` : '') });
  const bboxText = h('span', { class: 'meta', id: 'bbox-text' }, f.bbox ? `Area ${f.bbox}` : 'Anywhere');
  const form = h(
    'form',
    { class: 'filters', id: 'filters', 'aria-label': 'Filters' },
    h('div', {}, h('label', { for: 'f-from' }, 'From (UTC)'), h('input', { type: 'datetime-local', id: 'f-from', name: 'from', value: toInput(f.from) })),
    h('div', {}, h('label', { for: 'f-to' }, 'To (UTC)'), h('input', { type: 'datetime-local', id: 'f-to', name: 'to', value: toInput(f.to) })),
    h(
      'div',
      {},
      h('label', { for: 'f-watchlist' }, 'Watchlist'),
      h('select', { id: 'f-watchlist', name: 'watchlist' }, h('option', { value: '' }, 'Any'), ...watchlists.map((w) => h('option', { value: w, selected: f.watchlist === w }, w))),
    ),
    h('div', {}, h('label', { for: 'f-min-score' }, 'Minimum score'), h('input', { type: 'number', id: 'f-min-score', name: 'minScore', min: 0, max: 100, step: 1, value: f.minScore ?? '' })),
    h('div', { class: 'wide' }, h('label', { for: 'f-search' }, 'Vessel (MMSI or IMO)'), search),
    checkboxes('Type', 'type', ALERT_TYPES, f.type, (v) => TYPE_LABEL[v] ?? v),
    checkboxes('Status (none ticked: ongoing and closed)', 'status', ALERT_STATUSES, f.status),
    checkboxes('Triage', 'triage', TRIAGE_STATES, f.triage),
    h(
      'div',
      { class: 'wide bbox-row' },
      h('button', { type: 'button', id: 'use-view', onclick: () => apply({ ...read(), bbox: ctx.view.viewBbox() }) }, 'Limit to map view'),
      h('button', { type: 'button', id: 'clear-area', onclick: () => apply({ ...read(), bbox: undefined }) }, 'Any area'),
      bboxText,
    ),
    h(
      'div',
      { class: 'wide' },
      h('label', { for: 'f-sort' }, 'Sort'),
      h('select', { id: 'f-sort', name: 'sort' }, ...SORTS.map((s) => h('option', { value: s, selected: f.sort === s }, SORT_LABEL[s]))),
    ),
  );

  /** The form's filters (the area is kept from the current ones). */
  function read(): Filters {
    const data = new FormData(form);
    const ticked = (name: string) => (data.getAll(name) as string[]).join(',') || undefined;
    const minScore = String(data.get('minScore') ?? '');
    const vessel = parseVesselSearch(search.value) ?? {};
    return {
      from: fromInput(String(data.get('from') ?? '')),
      to: fromInput(String(data.get('to') ?? '')),
      bbox: ctx.filters.bbox,
      watchlist: String(data.get('watchlist') ?? '') || undefined,
      type: ticked('type'),
      status: ticked('status'),
      triage: ticked('triage'),
      minScore: minScore === '' ? undefined : Math.max(0, Math.min(100, Number(minScore))),
      mmsi: vessel.mmsi,
      imo: vessel.imo,
      sort: String(data.get('sort')) as Sort,
    };
  }

  function apply(next: Filters): void {
    if (search.value.trim() && !parseVesselSearch(search.value)) {
      status.textContent = 'Vessel search: a 9-digit MMSI or a 7-digit IMO.';
      search.setAttribute('aria-invalid', 'true');
      return;
    }
    search.removeAttribute('aria-invalid');
    bboxText.textContent = next.bbox ? `Area ${next.bbox}` : 'Anywhere';
    ctx.setFilters(next);
    void reload();
  }
  form.addEventListener('change', () => apply(read()));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply(read());
  });

  async function loadPage(): Promise<void> {
    const gen = generation;
    status.textContent = 'Loading…';
    more.disabled = true;
    try {
      const page = await api.alerts(apiParams(ctx.filters, { limit: PAGE, cursor: cursor ?? undefined }));
      if (gen !== generation) return;
      const qs = filtersToSearch(ctx.filters);
      list.append(...page.items.map((a) => alertRow(a, qs)));
      loaded += page.items.length;
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      shown.textContent = `${loaded}${cursor ? '+' : ''} shown`;
      status.textContent = loaded === 0 ? 'No alert matches these filters.' : '';
    } catch (err) {
      if (gen === generation) status.textContent = `Could not load alerts: ${err instanceof ApiError ? err.message : (err as Error).message}`;
    } finally {
      more.disabled = false;
    }
  }
  async function reload(): Promise<void> {
    generation += 1;
    cursor = null;
    loaded = 0;
    list.replaceChildren();
    await loadPage();
  }
  more.addEventListener('click', () => void loadPage());

  ctx.onLiveAlert = (a: AlertSummary) => {
    const qs = filtersToSearch(ctx.filters);
    const existing = list.querySelector(`li[data-alert-id="${a.id}"]`);
    const fits = matches(ctx.filters, a);
    if (existing) {
      if (fits) {
        const row = alertRow(a, qs);
        row.classList.add('fresh');
        existing.replaceWith(row);
      } else existing.remove();
    } else if (fits) {
      const row = alertRow(a, qs);
      row.classList.add('fresh');
      list.prepend(row);
      loaded += 1;
      shown.textContent = `${loaded}${cursor ? '+' : ''} shown`;
      status.textContent = '';
    }
  };

  // Every match of the filters, for a spreadsheet or a GIS (fetched with the token, saved as a file).
  const exportStatus = h('span', { class: 'meta', role: 'status' });
  const exportAs = (label: string, format: 'csv' | 'geojson', file: string) =>
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          exportStatus.textContent = 'Preparing…';
          download(`/v1/alerts${query({ ...apiParams(ctx.filters), format, ...(format === 'geojson' ? { limit: 500 } : {}) })}`, file).then(
            () => (exportStatus.textContent = `Downloaded ${file}.`),
            (err: unknown) => (exportStatus.textContent = `Export failed: ${(err as Error).message}`),
          );
        },
      },
      label,
    );
  const exports = h('div', { class: 'exports' }, exportAs('CSV (every match)', 'csv', 'alerts.csv'), exportAs('GeoJSON (first 500)', 'geojson', 'alerts.geojson'), exportStatus);

  fill(ctx.side, h('h2', {}, 'Alerts'), form, exports, h('div', { class: 'list-head' }, h('h3', {}, 'Results'), shown), status, list, more);
  ctx.tracks.clear();
  ctx.alerts.select(null);
  void reload();
}
