import type { AlertLayer } from './map/alert-layer.ts';
import type { MapView } from './map/map-view.ts';
import type { MarkLayer } from './map/mark-layer.ts';
import type { TrackLayer } from './map/track-layer.ts';
import type { Filters } from './filters.ts';
import type { AlertSummary, Session } from './types.ts';

/** What the pages share: who is signed in, the filters, the map and its layers, navigation. */
export interface AppContext {
  session: Session;
  filters: Filters;
  view: MapView;
  alerts: AlertLayer;
  tracks: TrackLayer;
  /** Places a page draws over the map (port calls, an alert's behaviour geometry); cleared on every route. */
  marks: MarkLayer;
  side: HTMLElement;
  /** Goes to an app path (the filters stay in the query string). */
  navigate(path: string): void;
  /** Replaces the filters: URL, list and map follow. */
  setFilters(filters: Filters): void;
  /** Live changes are passed to the page showing (list, detail) through this hook. */
  onLiveAlert: ((alert: AlertSummary) => void) | null;
  canTriage(): boolean;
}
