import { parseArgs } from 'node:util';
import { createAlertQueryRepository, createDatabase } from '@rendezvous/db';
// The API's own filter parsing and JSON view: the CLI accepts, refuses and prints exactly what
// GET /v1/alerts does (one implementation, not a copy).
import { parseAlertQuery, toAlertSummary, type AlertQueryInput, type AlertSummary } from '@rendezvous/alerts';
import type { Command } from '../command.ts';

const USAGE =
  'alerts [--from ISO] [--to ISO] [--bbox w,s,e,n] [--mmsi N] [--imo N] [--watchlist name] [--type T] [--status a,b] [--triage a,b] ' +
  '[--min-score N] [--updated-since X] [--sort S] [--limit N] [--cursor C] [--all] [--json]';

/** Flags → the API's query parameter names. */
const FLAG_TO_PARAM = {
  from: 'from',
  to: 'to',
  bbox: 'bbox',
  mmsi: 'mmsi',
  imo: 'imo',
  watchlist: 'watchlist',
  type: 'type',
  status: 'status',
  triage: 'triage',
  'min-score': 'minScore',
  'updated-since': 'updatedSince',
  sort: 'sort',
  limit: 'limit',
  cursor: 'cursor',
} as const satisfies Record<string, keyof AlertQueryInput>;

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'Alerts with the filters of GET /v1/alerts: --json prints the API\'s { items, nextCursor, sync }; --all follows every page',
  usage: USAGE,
  async run(args, { config, logger, stdout }) {
    const stringFlags = Object.fromEntries(Object.keys(FLAG_TO_PARAM).map((f) => [f, { type: 'string' as const }]));
    const { values } = parseArgs({
      args,
      allowPositionals: false,
      options: { ...stringFlags, all: { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const input: AlertQueryInput = {};
    for (const [flag, param] of Object.entries(FLAG_TO_PARAM)) {
      const v = (values as Record<string, string | boolean | undefined>)[flag];
      if (typeof v === 'string') input[param] = v;
    }
    const { filter, page } = parseAlertQuery(input);
    const database = createDatabase(config.db, logger);
    try {
      const repo = createAlertQueryRepository(database.db);
      let result = await repo.list(filter, page);
      const items: AlertSummary[] = result.rows.map(toAlertSummary);
      const sync = { updatedSince: result.highWater };
      while (values.all && result.nextCursor) {
        result = await repo.list(filter, { ...page, cursor: result.nextCursor });
        items.push(...result.rows.map(toAlertSummary));
      }
      if (values.json) {
        stdout.write(JSON.stringify({ items, nextCursor: result.nextCursor, sync }, null, 2) + '\n');
      } else {
        stdout.write(table(items) + '\n');
        if (result.nextCursor) stdout.write(`more: --cursor ${result.nextCursor} (or --all)\n`);
      }
      return 0;
    } finally {
      await database.close();
    }
  },
};

function table(items: readonly AlertSummary[]): string {
  if (items.length === 0) return 'no alerts match';
  const vessel = (v: AlertSummary['vesselB']) => (v ? `${v.mmsi}${v.name ? ` ${v.name}` : ''}` : '-');
  const rows = items.map((a) => [
    String(a.id),
    a.type,
    a.start.slice(0, 16).replace('T', ' '),
    `${(a.durationS / 3600).toFixed(1)} h`,
    a.status,
    a.triage.state,
    a.score.toFixed(0),
    vessel(a.vesselA),
    vessel(a.vesselB),
    a.watchlists.join(',') || '-',
  ]);
  const header = ['id', 'type', 'start (UTC)', 'duration', 'status', 'triage', 'score', 'vessel A', 'vessel B', 'lists'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
