/**
 * Tells the demo's viewer what the detector is doing: polls the alerts table by change sequence
 * (migration 0006: commit-ordered, so nothing is skipped) and reports each alert when it appears
 * and when its status changes (ongoing → closed); a meeting growing alert by alert is not news.
 */
import { sql, type Database } from '@rendezvous/db';
import type { Kysely } from 'kysely';

export interface WatchedAlert {
  id: number;
  status: string;
  mmsiA: number;
  mmsiB: number;
  nameA: string | null;
  nameB: string | null;
  startAt: Date;
  endAt: Date;
  score: number;
  watchlists: string[];
}

export interface AlertWatch {
  stop(): void;
}

const POLL_MS = 1000;

export function watchAlerts(
  db: Kysely<Database>,
  onChange: (alert: WatchedAlert, previousStatus: string | null) => void,
  onError: (err: Error) => void,
): AlertWatch {
  let lastSeq = 0;
  const statuses = new Map<number, string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;

  const poll = async () => {
    try {
      const { rows } = await sql<WatchedAlert & { changeSeq: number }>`
        SELECT id, status, mmsi_a AS "mmsiA", mmsi_b AS "mmsiB", vessel_a->>'name' AS "nameA", vessel_b->>'name' AS "nameB",
               start_at AS "startAt", end_at AS "endAt", score, watchlists, change_seq AS "changeSeq"
        FROM alerts WHERE change_seq > ${lastSeq} ORDER BY change_seq LIMIT 500`.execute(db);
      failing = false;
      for (const row of rows) {
        lastSeq = Math.max(lastSeq, row.changeSeq);
        const previous = statuses.get(row.id) ?? null;
        if (previous === row.status) continue;
        statuses.set(row.id, row.status);
        onChange(row, previous);
      }
    } catch (err) {
      // Report once per outage: the services say more about a database that went away.
      if (!failing) onError(err as Error);
      failing = true;
    }
    if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
  };
  void poll();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
