// Plumbing shared by the API's reliability tests (test/reliability/07–09): a real app on the test
// database and Redis, tokens, a raw-socket SSE client whose reading the test controls, and a
// condition poller (tests wait for a state, never assert on durations).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import { createDatabase, createTokenRepository, type AlertWrite, type ApiRole, type DatabaseHandle } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { buildApp, type AppDependencies } from '../../src/app.ts';
import { quietLogger, testConfig } from '../../../../test/support/harness.ts';

export interface TestApi {
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  redis: Redis;
}

/**
 * The app as main.ts builds it (its pool under API_STATEMENT_TIMEOUT_MS), with `env` overriding
 * the test configuration. Everything opened is closed by `closeAll`.
 */
export function apiFactory() {
  const closers: (() => Promise<unknown> | void)[] = [];
  return {
    async start(env: Record<string, string> = {}, extra: Partial<AppDependencies> = {}, database?: DatabaseHandle): Promise<TestApi> {
      const config = testConfig(env);
      const db = database ?? createDatabase({ ...config.db, poolMax: 4, statementTimeoutMs: config.http.statementTimeoutMs }, quietLogger);
      const redis = createRedis(config.redis, quietLogger, 'producer');
      const app = await buildApp({ config, logger: quietLogger, database: db, redis, ...extra });
      closers.push(() => db.close(), () => redis.disconnect(), () => app.close());
      return { app, config, database: db, redis };
    },
    async closeAll(): Promise<void> {
      for (const close of closers.splice(0).reverse()) await close();
    },
  };
}

export async function issueToken(database: DatabaseHandle, role: ApiRole = 'viewer', name = `reliability-${role}`) {
  return createTokenRepository(database.db).create({ role, name });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what = 'condition', timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

export interface SseEvent {
  id: string;
  data: string;
}

/**
 * A Server-Sent Events client on a raw TCP socket: the test decides when it reads (`pause()` stops
 * reading from the kernel, so the server meets real back-pressure). Parses the status line,
 * headers and `id:`/`data:` events; `ended` once the server closes the connection.
 */
export function sseClient(port: number, path: string, headers: Record<string, string>) {
  const socket = net.connect(port, '127.0.0.1');
  const state = {
    status: 0,
    headers: {} as Record<string, string>,
    body: '',
    events: [] as SseEvent[],
    bytes: 0,
    ended: false,
  };
  let raw = '';
  let headerDone = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    state.bytes += Buffer.byteLength(chunk);
    raw += chunk;
    if (!headerDone) {
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
      state.status = Number(statusLine!.split(' ')[1]);
      for (const l of lines) state.headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      raw = raw.slice(end + 4);
      headerDone = true;
    }
    // Chunked transfer encoding: strip the chunk-size lines; `body` is the decoded payload.
    if (state.headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const m = /^([0-9a-f]+)\r\n/i.exec(raw);
        if (!m) break;
        const size = parseInt(m[1]!, 16);
        if (raw.length < m[0].length + size + 2) break;
        const payload = raw.slice(m[0].length, m[0].length + size);
        raw = raw.slice(m[0].length + size + 2);
        state.body += payload;
        parseEvents(payload);
      }
    } else {
      state.body += raw;
      parseEvents(raw);
      raw = '';
    }
  });
  let pending = '';
  function parseEvents(text: string) {
    pending += text;
    let end;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const i = line.indexOf(':');
        fields.set(line.slice(0, i), line.slice(i + 1).trimStart());
      }
      if (fields.has('data')) state.events.push({ id: fields.get('id') ?? '', data: fields.get('data')! });
    }
  }
  socket.on('close', () => (state.ended = true));
  socket.on('error', () => undefined);
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n',
  );
  return {
    state,
    socket,
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    close: () => socket.destroy(),
    /** The body of a non-stream answer (e.g. a 429 problem+json), once complete. */
    json: () => JSON.parse(state.body) as Record<string, unknown>,
  };
}

/** An alert as the detector writes it; `pad` bytes of vessel name make its SSE event that big. */
export function alertWrite(key: string, n: number, pad = 0): AlertWrite {
  const start = Date.UTC(2025, 0, 1) + n * 60_000;
  return {
    key,
    status: 'closed',
    event: {
      pairKey: `${200_000_000 + n}-${300_000_000 + n}`,
      a: 200_000_000 + n,
      b: 300_000_000 + n,
      start,
      end: start + 3 * 3_600_000,
      durationMs: 3 * 3_600_000,
      closestDistanceM: 80,
      medianDistanceM: 120,
      medianSpeedKnA: 0.4,
      medianSpeedKnB: 0.6,
      centroid: { lon: 20 + (n % 100) / 100, lat: 35 },
      steps: 19,
      runs: 1,
      inPort: false,
      profile: 'gfw-encounter',
      detectorVersion: 'test',
    },
    vesselA: { mmsi: 200_000_000 + n, name: `A ${n} ${'X'.repeat(pad)}` },
    vesselB: { mmsi: 300_000_000 + n, name: `B ${n}` },
    score: 40,
    scoreFactors: [{ factor: 'duration', points: 40, detail: '3 h' }],
    watchlists: [],
    evidence: { marginS: 3600, trackA: [], trackB: [] },
  };
}
