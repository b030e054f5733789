import { h } from './dom.ts';
import { duration, metres, typeLabel, utc, vesselName } from './format.ts';
import type { AlertSummary } from './types.ts';

export const scoreClass = (score: number): string => `score score-${score >= 70 ? 70 : score >= 50 ? 50 : score >= 30 ? 30 : 0}`;

/** One alert in a list: score, type and vessels, when, how close, status and triage. */
export function alertRow(a: AlertSummary, search: string): HTMLLIElement {
  const vessels = a.vesselB ? `${vesselName(a.vesselA)} ↔ ${vesselName(a.vesselB)}` : vesselName(a.vesselA);
  return h(
    'li',
    { class: 'alert-item', 'data-alert-id': a.id },
    h(
      'a',
      { href: `/alerts/${a.id}${search}`, 'data-route': '' },
      h('span', { class: scoreClass(a.score), 'aria-label': `score ${Math.round(a.score)}` }, Math.round(a.score)),
      h('span', { class: 'alert-title' }, `${typeLabel(a.type)} · ${vessels}`),
      h('span', { class: 'meta' }, `${utc(a.start)} · ${duration(a.durationS)}${a.closestM !== null ? ` · closest ${metres(a.closestM)}` : ''}`),
      h(
        'span',
        {},
        h('span', { class: 'pill' }, a.status),
        h('span', { class: `pill triage triage-${a.triage.state}`, 'data-triage': a.triage.state }, a.triage.state),
        ...a.watchlists.map((w) => h('span', { class: 'pill' }, `list: ${w}`)),
      ),
    ),
  );
}
