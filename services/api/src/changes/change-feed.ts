import pg from 'pg';
import { readAlertHighWater, type DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';

/**
 * The API's view of "what is the newest committed alert change": the highest `alerts.change_seq`
 * (migrations/0006 assigns it in commit order and NOTIFYs `alerts_changed` per statement).
 *
 * Dashboards poll, so answering "has anything changed?" must cost no query: `version()` reads a
 * number held in memory, refreshed when PostgreSQL notifies (one dedicated pool connection
 * LISTENs) and, as a safety net for a lost connection or notification, every `pollMs`. A poll that
 * arrives in the few milliseconds between a commit and its refresh sees the old version: it gets
 * 304 once and the change on its next poll — never a body older than its ETag (conditional-get.ts).
 *
 * The LISTEN connection is a client of its own, outside the process's one pool: it is held for
 * the life of the process, which would otherwise shrink the pool by one for every app instance.
 */
export interface AlertChangeFeed {
  /** Highest committed change_seq (decimal string; "0" when there are no alerts). */
  version(): string;
  /** Called with the new version whenever it grows. Returns the unsubscribe function. */
  subscribe(listener: (version: string) => void): () => void;
  /** Re-reads the version now (tests; after a write made by this process). */
  refresh(): Promise<string>;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** Fallback refresh period when no notification arrives (ms). */
  pollMs?: number;
  /** First reconnect delay after the LISTEN connection fails (doubles up to 30 s). */
  reconnectMs?: number;
}

const CHANNEL = 'alerts_changed';

export async function createAlertChangeFeed(
  database: DatabaseHandle,
  databaseUrl: string,
  logger: Logger,
  options: ChangeFeedOptions = {},
): Promise<AlertChangeFeed> {
  const pollMs = options.pollMs ?? 1000;
  const baseReconnectMs = options.reconnectMs ?? 500;
  const listeners = new Set<(version: string) => void>();
  let current = '0';
  let closed = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectMs = baseReconnectMs;

  // One refresh at a time; notifications arriving meanwhile ask for exactly one more.
  let inFlight: Promise<string> | null = null;
  let again = false;
  async function readVersion(): Promise<string> {
    // On the LISTEN connection while it is up, so polling never competes with requests for the
    // pool; on the pool only while that connection is being re-established.
    return readAlertHighWater(listener ?? database.pool);
  }
  function publish(v: string) {
    // Versions only grow: compare as bigints (change_seq is bigint; strings compare wrongly).
    if (BigInt(v) <= BigInt(current)) return;
    current = v;
    for (const l of listeners) {
      try {
        l(v);
      } catch (err) {
        logger.error({ err }, 'alert change listener failed');
      }
    }
  }
  function refresh(): Promise<string> {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          again = false;
          publish(await readVersion());
        } while (again && !closed);
      } catch (err) {
        if (!closed) logger.warn({ err }, 'could not read the alert change version; keeping the last one');
      } finally {
        inFlight = null;
      }
      return current;
    })();
    return inFlight;
  }

  async function listen(): Promise<void> {
    if (closed) return;
    try {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: 'rendezvous-api-listen' });
      client.on('error', (err) => lost(client, err));
      client.on('end', () => lost(client, new Error('connection ended')));
      await client.connect();
      if (closed) {
        await client.end();
        return;
      }
      client.on('notification', (msg) => {
        if (msg.channel === CHANNEL) void refresh();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
      reconnectMs = baseReconnectMs;
      // Changes committed while we were not listening.
      void refresh();
    } catch (err) {
      scheduleReconnect(err);
    }
  }
  function lost(client: pg.Client, err: unknown) {
    if (closed || (listener !== null && listener !== client)) return;
    listener = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    scheduleReconnect(err);
  }
  function scheduleReconnect(err: unknown) {
    if (closed || reconnectTimer) return;
    logger.warn({ err, retryInMs: reconnectMs }, 'alert change listener disconnected; polling until it is back');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void listen();
    }, reconnectMs);
    reconnectMs = Math.min(reconnectMs * 2, 30_000);
  }

  await refresh();
  await listen();
  const poll = setInterval(() => void refresh(), pollMs);
  poll.unref();

  return {
    version: () => current,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    refresh,
    async close() {
      closed = true;
      clearInterval(poll);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      listeners.clear();
      const client = listener;
      listener = null;
      if (client) await client.end().catch(() => undefined);
      await inFlight;
    },
  };
}
