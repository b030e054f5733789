import type { DraughtRepository, VesselRepository } from '@rendezvous/db';
import { DEFAULT_DRAUGHT_OPTIONS, draughtChangeAcross, type DraughtChangeFinding } from '@rendezvous/identity';

/** A vessel over an event's time. */
export interface DraughtQuery {
  mmsi: number;
  start: number;
  end: number;
}

/** What each event vessel's draught did across the event: the rule's reason, or null. */
export interface DraughtAcross {
  (q: DraughtQuery): string | null;
  /** The rule's finding itself (values before and after, threshold), for rules built on it. */
  finding(q: DraughtQuery): DraughtChangeFinding | null;
}

const NONE: DraughtAcross = Object.assign(() => null, { finding: () => null });

/**
 * Draught as cargo evidence (issue 13 item 4; DESIGN.md "Dark activity", Draught): a change of the
 * reported type 5 draught across a meeting, a loitering or a gap, by the vessel's size class,
 * skipping typos that revert (packages/identity draught-rule.ts). One read of the draught history
 * and lengths of every event vessel per window. Each event is judged on the series up to its own
 * end + the rule's after-window + stability time, so the finding depends on the event and the
 * stored reports only, never on which window asked.
 */
export function createDraughtStage(deps: { draughts: Pick<DraughtRepository, 'draughtChanges'>; vessels: Pick<VesselRepository, 'lengths'> }) {
  const reach = DEFAULT_DRAUGHT_OPTIONS.afterWithinMs + DEFAULT_DRAUGHT_OPTIONS.stableMs;
  return async function draughtAcross(queries: readonly DraughtQuery[]): Promise<DraughtAcross> {
    if (queries.length === 0) return NONE;
    const mmsis = [...new Set(queries.map((q) => q.mmsi))];
    const from = Math.min(...queries.map((q) => q.start));
    const to = Math.max(...queries.map((q) => q.end)) + reach;
    const [series, lengths] = await Promise.all([deps.draughts.draughtChanges(mmsis, new Date(from), new Date(to)), deps.vessels.lengths(mmsis)]);
    const finding = ({ mmsi, start, end }: DraughtQuery) => {
      const until = end + reach;
      const own = (series.get(mmsi) ?? []).filter((p) => p.t <= until);
      return draughtChangeAcross(own, { start, end }, lengths.get(mmsi) ?? null, { seriesEnd: until });
    };
    return Object.assign(
      (q: DraughtQuery) => {
        const f = finding(q);
        return f ? `MMSI ${q.mmsi}: ${f.reason}` : null;
      },
      { finding },
    );
  };
}
