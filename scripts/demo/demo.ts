/**
 * The first-run demo of `npm start` (DEMO=on, the default): on a fresh database (see
 * `isFreshDatabase`) it lists one simulated tanker on a `demo` watchlist, creates an analyst
 * token named `demo`, and plays 10 h of simulated AIS ending now into the ingest service at
 * DEMO_SPEED× (a local TCP feed added to ingest's sources). The console shows each alert as it
 * appears and closes; with the first alert on the listed tanker it prints the token, once, and
 * three curl commands that work as printed. Any later start finds the token and does nothing.
 */
import type { Config } from '@rendezvous/config';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createRedis, enqueueReprocess } from '@rendezvous/queue';
import { DEMO_HOURS, demoTraffic } from '@rendezvous/simulator';
import { watchAlerts, type WatchedAlert } from './alert-watch.ts';
import { startFeedServer } from './feed-server.ts';
import { DEMO_LIST, DEMO_TOKEN_NAME, DEMO_TOKEN_TTL_MS, isFreshDatabase, seedDemo } from './seed-demo.ts';

/**
 * Feed time runs 300× faster than the wall clock: the 10 h play in 2 min, the listed tanker's
 * meeting alerts after 1.5 h of feed (≈ 20 s) and the mother ship's two after ≈ 45 s and ≈ 110 s.
 */
export const DEMO_SPEED = 300;
/** After the feed ends, ingest commits its last batch within INGEST_FLUSH_MS (1 s by default). */
const SETTLE_DELAY_MS = 5000;

export interface Demo {
  /** Added to the ingest service's INGEST_SOURCES. */
  ingestSource: string;
  stop(): Promise<void>;
}

const curlBase = (config: Config) => {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
};
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const pair = (a: WatchedAlert) => `${a.nameA ?? a.mmsiA} ↔ ${a.nameB ?? a.mmsiB}`;

/** Seeds and starts the demo when it should run; null (and not a word on the console) otherwise. */
export async function startDemo(config: Config, say: (line: string) => void): Promise<Demo | null> {
  if (!config.demo) return null;
  const startedAt = Date.now();
  const logger = createLogger(config.log, 'demo');
  const database = createDatabase({ url: config.db.url, poolMax: 2 }, logger);
  let fresh: boolean;
  try {
    fresh = await isFreshDatabase(database.db);
  } catch (err) {
    say(`not seeded: could not check that the database is empty (${(err as Error).message})`);
    await database.close();
    return null;
  }
  if (!fresh) {
    await database.close();
    return null;
  }

  const traffic = demoTraffic({ endMs: startedAt });
  const { truth } = traffic.simulation;
  const listed = traffic.listed;
  const seed = await seedDemo(database.db, traffic.watchlistCsv);
  const feed = await startFeedServer(traffic.simulation.lines, { speed: DEMO_SPEED });
  const base = curlBase(config);
  const auth = '-H "Authorization: Bearer $TOKEN"';

  say(`Empty database: seeding a labelled demo (DEMO=off turns it off). Every ship in it is simulated and named "DEMO …".`);
  say(`  watchlist "${DEMO_LIST}" (version ${seed.listVersion}): ${listed.name}, MMSI ${listed.mmsi}, IMO ${listed.imo}`);
  say(
    `  feed: ${DEMO_HOURS} h of AIS up to now (${truth.vessels.length} ships, ${traffic.meetings.length} scripted rendezvous) ` +
      `played at ${DEMO_SPEED}× into ingest from ${feed.source}; the first alert comes in about 20 s`,
  );
  say(`  an analyst API token named "${DEMO_TOKEN_NAME}" is printed once, with example commands, when that alert arrives`);

  let tokenShown = false;
  const showToken = (first: WatchedAlert | null) => {
    if (tokenShown) return;
    tokenShown = true;
    say(`Demo API token (role analyst, name "${DEMO_TOKEN_NAME}", expires in ${DEMO_TOKEN_TTL_MS / 86_400_000} days). It is shown only now; make another with \`npm run cli -- token create --role analyst\`:`);
    say(`  export TOKEN=${seed.token}`);
    say(`  curl -s ${auth} ${base}/v1/alerts`);
    if (first !== null) {
      say(`  curl -s ${auth} ${base}/v1/alerts/${first.id}`);
      say(`  curl -s ${auth} "${base}/v1/vessels/${listed.mmsi}/track?from=${truth.start}&to=${truth.end}"`);
    }
    say(`More (filters, GeoJSON, CSV, triage, the live stream): README.md, "Analyst walkthrough".`);
  };

  const watch = watchAlerts(
    database.db,
    (alert, previous) => {
      const lists = alert.watchlists.length > 0 ? `, watchlists: ${alert.watchlists.join(', ')}` : '';
      say(
        previous === null
          ? `alert #${alert.id} ${alert.status}: ${pair(alert)} since ${alert.startAt.toISOString().slice(11, 16)} UTC (score ${Math.round(alert.score)}${lists}), ${seconds(Date.now() - startedAt)} after start`
          : `alert #${alert.id} ${previous} → ${alert.status}: ${pair(alert)}`,
      );
      if (previous === null && (alert.mmsiA === listed.mmsi || alert.mmsiB === listed.mmsi)) showToken(alert);
    },
    (err) => say(`cannot read alerts (${err.message}); will keep trying`),
  );

  let redis: ReturnType<typeof createRedis> | null = null;
  let settleTimer: NodeJS.Timeout | undefined;
  void feed.finished.then(({ lines, ms, stopped }) => {
    if (stopped) return;
    say(
      `feed complete: ${lines} lines in ${seconds(ms)}. Re-running detection over the demo's ${DEMO_HOURS} h in ${seconds(SETTLE_DELAY_MS)}, ` +
        `as REPROCESS_SCHEDULE does on a schedule, so meetings that ended hours ago close`,
    );
    settleTimer = setTimeout(() => {
      redis = createRedis(config.redis, logger, 'producer');
      enqueueReprocess(
        { connection: redis, prefix: config.redis.prefix },
        { from: new Date(truth.start), to: new Date(truth.end), windowMs: 24 * 3_600_000, requestedBy: 'demo' },
      )
        .then(({ job }) => say(`reprocess job ${job.id} queued`))
        .catch((err: Error) => say(`could not queue the re-run (${err.message})`))
        .finally(() => {
          redis?.disconnect();
          redis = null;
          showToken(null);
        });
    }, SETTLE_DELAY_MS);
  });

  return {
    ingestSource: feed.source,
    async stop() {
      clearTimeout(settleTimer);
      watch.stop();
      await feed.stop();
      redis?.disconnect();
      await database.close();
    },
  };
}
