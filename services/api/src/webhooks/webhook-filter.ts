import { MMSI_MAX, WATCHLIST_PATTERN } from '@rendezvous/alerts';
import { ALERT_STATUSES, ALERT_TYPES, type AlertRow, type WebhookFilter } from '@rendezvous/db';

/**
 * A webhook's filter: the alert list's filters a push makes sense of, with the list's meanings
 * (packages/alerts alert-filters.ts, packages/db applyFilter) — `types` and `statuses` any of,
 * `watchlists` any of the names in the alert's watchlists, `minScore` at least, `mmsi` either
 * vessel — as arrays in JSON instead of comma-separated query values. Time and area filters are
 * left out: a subscriber wants changes as they happen, not a window of history.
 *
 * One difference: with no `statuses`, every status matches, retracted included — a subscriber
 * that was sent an alert must also hear that it was withdrawn.
 */
export const webhookFilterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    types: { type: 'array', items: { type: 'string', enum: [...ALERT_TYPES] }, minItems: 1, maxItems: ALERT_TYPES.length, uniqueItems: true },
    statuses: { type: 'array', items: { type: 'string', enum: [...ALERT_STATUSES] }, minItems: 1, maxItems: ALERT_STATUSES.length, uniqueItems: true },
    watchlists: { type: 'array', items: { type: 'string', pattern: WATCHLIST_PATTERN }, minItems: 1, maxItems: 100, uniqueItems: true },
    minScore: { type: 'number', minimum: 0, maximum: 100 },
    mmsi: { type: 'array', items: { type: 'integer', minimum: 0, maximum: MMSI_MAX }, minItems: 1, maxItems: 1000, uniqueItems: true, description: 'either vessel' },
  },
} as const;

type FilterInput = Pick<AlertRow, 'type' | 'status' | 'watchlists' | 'score' | 'mmsi_a' | 'mmsi_b'>;

/** Whether a changed alert (as it is after the change) is one the filter asks for. */
export function matchesWebhookFilter(filter: WebhookFilter, alert: FilterInput): boolean {
  if (filter.types && !filter.types.includes(alert.type)) return false;
  if (filter.statuses && !filter.statuses.includes(alert.status)) return false;
  if (filter.watchlists && !filter.watchlists.some((w) => alert.watchlists.includes(w))) return false;
  if (filter.minScore !== undefined && !(alert.score >= filter.minScore)) return false;
  if (filter.mmsi && !filter.mmsi.some((m) => m === alert.mmsi_a || m === alert.mmsi_b)) return false;
  return true;
}
