import type { AlertSummary } from '@rendezvous/alerts';

/** RFC 7946 FeatureCollection of alert centroids: what a map layer draws. */
export interface AlertFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id: number;
    geometry: { type: 'Point'; coordinates: [number, number] };
    properties: AlertSummary;
  }[];
  /** Foreign members (RFC 7946 §6.1): the list's paging and change cursor, as in the JSON list. */
  nextCursor: string | null;
  sync: { updatedSince: string };
}

export function toAlertFeatureCollection(items: readonly AlertSummary[], nextCursor: string | null, sync: { updatedSince: string }): AlertFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.map((a) => ({
      type: 'Feature',
      id: a.id,
      // RFC 7946 §3.1.1: [longitude, latitude].
      geometry: { type: 'Point', coordinates: [a.centroid.lon, a.centroid.lat] },
      properties: a,
    })),
    nextCursor,
    sync,
  };
}
