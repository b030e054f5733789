import 'ol/ol.css';
import './styles.css';
import { api, setUnauthorizedHandler } from './api.ts';
import type { AppContext } from './context.ts';
import { showAlertPage } from './detail-page.ts';
import { byId } from './dom.ts';
import { filterKey, filtersFromSearch, filtersToSearch, type Filters } from './filters.ts';
import { showListPage } from './list-page.ts';
import { showVesselPage } from './vessel-page.ts';
import { followAlerts } from './live.ts';
import { createAlertLayer } from './map/alert-layer.ts';
import { createMapView } from './map/map-view.ts';
import { createMarkLayer } from './map/mark-layer.ts';
import { referenceLayers, type ReferenceLayerName } from './map/reference-layers.ts';
import { createTrackLayer } from './map/track-layer.ts';
import { forgetToken, storedToken } from './session.ts';
import { showSignIn } from './signin.ts';
import type { Session } from './types.ts';

/** Paths the app draws itself; the API answers index.html for each (web-app-routes.ts). */
const ROUTES: { pattern: RegExp; page: 'list' | 'alert' | 'vessel' }[] = [
  { pattern: /^\/$/, page: 'list' },
  { pattern: /^\/alerts\/(\d+)$/, page: 'alert' },
  { pattern: /^\/vessels\/(\d+)$/, page: 'vessel' },
];

let ctx: AppContext | null = null;
let live: { stop(): void } | null = null;
const unseen = new Set<number>();

function showUnseen(): void {
  const count = byId('unseen-count');
  count.textContent = String(unseen.size);
  count.classList.toggle('zero', unseen.size === 0);
}

function signOut(message = ''): void {
  live?.stop();
  live = null;
  forgetToken();
  unseen.clear();
  showSignIn(start, message);
}

let routeGeneration = 0;

async function route(): Promise<void> {
  if (!ctx) return;
  routeGeneration += 1;
  const filters = filtersFromSearch(location.search);
  if (filterKey(filters) !== filterKey(ctx.filters)) {
    ctx.filters = filters;
    ctx.alerts.load(filters);
  }
  ctx.filters = filters;
  ctx.onLiveAlert = null;
  ctx.marks.clear();
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(location.pathname) })).find((x) => x.m);
  ctx.side.classList.toggle('wide', match?.r.page === 'vessel');
  if (!match || match.r.page === 'list') {
    const gen = ++routeGeneration;
    const lists = await api.watchlists().then((l) => l.map((w) => w.name), () => [] as string[]);
    // Navigated elsewhere meanwhile: that page is showing, not this one.
    if (gen === routeGeneration) showListPage(ctx, lists);
  } else if (match.r.page === 'alert') {
    await showAlertPage(ctx, Number(match.m![1]), (id) => {
      unseen.delete(id);
      showUnseen();
    });
  } else {
    await showVesselPage(ctx, Number(match.m![1]));
  }
}

/** Signed in: the map, the live stream and the page the URL names. */
function start(session: Session): void {
  byId('signin').hidden = true;
  byId('workspace').hidden = false;
  byId('nav').hidden = false;
  byId('who').textContent = `${session.name} (${session.role})`;
  document.documentElement.dataset['role'] = session.role;
  const filters = filtersFromSearch(location.search);
  if (!ctx) {
    const view = createMapView(byId('map'));
    const alerts = createAlertLayer(view);
    const tracks = createTrackLayer(view);
    const marks = createMarkLayer(view);
    ctx = {
      session,
      filters,
      view,
      alerts,
      tracks,
      marks,
      side: byId('side'),
      navigate(path) {
        history.pushState(null, '', path);
        void route();
      },
      setFilters(next: Filters) {
        const changed = filterKey(next) !== filterKey(this.filters);
        this.filters = next;
        history.replaceState(null, '', `${location.pathname}${filtersToSearch(next)}`);
        if (changed) alerts.load(next);
      },
      onLiveAlert: null,
      canTriage: () => ctx!.session.role !== 'viewer',
    };
    // A link opened with an area: show that area.
    if (filters.bbox) {
      const [w, s, e, n] = filters.bbox.split(',').map(Number) as [number, number, number, number];
      view.fitLonLat(w, s, e, n);
    }
    wireMap(ctx);
  } else {
    ctx.session = session;
    ctx.filters = filters;
  }
  // The first view opens on the alerts found, unless the link names an area or an alert.
  ctx.alerts.load(filters, { fit: !filters.bbox && location.pathname === '/' });
  live?.stop();
  byId('live-state').textContent = 'Connecting';
  live = followAlerts(
    (alert) => {
      // The alert on screen is seen as it changes (its page redraws); others count as unseen.
      if (location.pathname !== `/alerts/${alert.id}`) {
        unseen.add(alert.id);
        showUnseen();
      }
      ctx?.onLiveAlert?.(alert);
      // The map's clusters follow the change (one clusters query, debounced).
      scheduleMapReload();
    },
    (state) => (byId('live-state').textContent = state === 'live' ? 'Live' : state === 'reconnecting' ? 'Reconnecting' : 'Offline'),
  );
  void route();
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleMapReload(): void {
  if (reloadTimer) clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => ctx?.alerts.load(ctx.filters), 150);
}

function wireMap(c: AppContext): void {
  c.view.map.on('moveend', () => scheduleMapReload());
  c.view.map.on('click', (event) => {
    const hit = c.alerts.hit(event.pixel);
    if (!hit) return;
    if ('alertId' in hit) c.navigate(`/alerts/${hit.alertId}${filtersToSearch(c.filters)}`);
    else c.view.map.getView().fit(hit.extent, { padding: [60, 60, 60, 60], maxZoom: 14, duration: 250 });
  });
  c.view.map.on('pointermove', (event) => {
    const el = c.view.map.getTargetElement();
    if (el) el.style.cursor = c.alerts.hit(event.pixel) ? 'pointer' : '';
  });
  const refs = referenceLayers(c.view);
  for (const name of ['sts-hubs', 'ports'] as ReferenceLayerName[]) {
    const box = byId<HTMLInputElement>(`layer-${name}`);
    box.addEventListener('change', () => {
      refs.show(name, box.checked).then(
        (ok) => {
          if (!ok) {
            box.checked = false;
            box.disabled = true;
            byId('layer-note').textContent = `The API has no ${name === 'ports' ? 'port' : 'STS hub'} layer.`;
          }
        },
        (err: unknown) => (byId('layer-note').textContent = `Layer failed: ${(err as Error).message}`),
      );
    });
  }
}

// In-app links (data-route) change the page without a reload; the filters travel in the query.
document.addEventListener('click', (event) => {
  const a = (event.target as Element | null)?.closest?.('a[data-route]') as HTMLAnchorElement | null;
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  ctx?.navigate(a.pathname + a.search);
});
window.addEventListener('popstate', () => void route());
byId('sign-out').addEventListener('click', () => signOut());
byId('live-badge').addEventListener('click', () => {
  unseen.clear();
  showUnseen();
  if (location.pathname !== '/') ctx?.navigate(`/${filtersToSearch(ctx.filters)}`);
});
byId('home-link').addEventListener('click', (event) => {
  if (!ctx) return;
  event.preventDefault();
  ctx.navigate(`/${filtersToSearch(ctx.filters)}`);
});
setUnauthorizedHandler(() => signOut('The API refused the token (revoked or expired): sign in again.'));

// A token kept from earlier in this tab is checked before it is used.
const token = storedToken();
if (token) {
  api.session(token).then(start, (err: unknown) =>
    (err as { status?: number }).status === 401 ? signOut('The stored token was refused: sign in again.') : showSignIn(start, `Could not reach the API: ${(err as Error).message}`),
  );
} else {
  showSignIn(start);
}
