import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineSource, SourceLogger } from '../src/sources/line-source.ts';
import { tcpSource } from '../src/sources/tcp-source.ts';

const HOST = '127.0.0.1';

interface LogEntry {
  level: 'debug' | 'info' | 'warn';
  obj: Record<string, unknown>;
  msg: string;
  at: number;
}

function recordingLogger(): { logger: SourceLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const make =
    (level: LogEntry['level']) =>
    (...args: unknown[]) =>
      entries.push({ level, obj: args[0] as Record<string, unknown>, msg: String(args[1]), at: Date.now() });
  return { logger: { debug: make('debug'), info: make('info'), warn: make('warn') }, entries };
}

// Cleanup even when a test fails midway: no consumer keeps reconnecting, no server waits for
// an open connection before it closes.
const servers: Server[] = [];
const sockets: Socket[] = [];
const consumers: AbortController[] = [];
afterEach(async () => {
  for (const ac of consumers.splice(0)) ac.abort();
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function listen(port = 0): Promise<{ server: Server; port: number; connections: Socket[]; next: () => Promise<Socket> }> {
  const server = createServer();
  servers.push(server);
  const connections: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  server.on('connection', (s) => {
    sockets.push(s);
    s.setNoDelay(true);
    s.on('error', () => {});
    const w = waiting.shift();
    if (w) w(s);
    else connections.push(s);
  });
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  const next = () => {
    const s = connections.shift();
    return s ? Promise.resolve(s) : new Promise<Socket>((resolve) => waiting.push(resolve));
  };
  return { server, port: (server.address() as AddressInfo).port, connections, next };
}

function stopListening(server: Server): void {
  // Stops accepting at once; established connections carry on.
  server.close();
  servers.splice(servers.indexOf(server), 1);
}

/** Writes `text` in pieces cut at `cuts`, pausing between so they arrive as separate reads. */
async function writeInPieces(socket: Socket, text: string, cuts: number[]): Promise<void> {
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    socket.write(text.slice(from, cut));
    from = cut;
    await sleep(15);
  }
}

/** Consumes a source in the background; `until(n)` waits (bounded) for n lines. */
function consume(source: LineSource) {
  const ac = new AbortController();
  consumers.push(ac);
  const lines: string[] = [];
  let endedAt = 0;
  const done = (async () => {
    for await (const b of source.lines(ac.signal)) lines.push(...b.lines);
    endedAt = Date.now();
  })();
  async function until(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (lines.length < n && Date.now() < deadline) await sleep(10);
    if (lines.length < n) throw new Error(`only ${lines.length}/${n} lines after ${timeoutMs} ms: ${JSON.stringify(lines)}`);
  }
  async function stop(): Promise<number> {
    const t0 = Date.now();
    ac.abort();
    await done;
    return endedAt - t0;
  }
  return { lines, until, stop, done };
}

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await sleep(5);
  expect(cond()).toBe(true);
}

const line = (i: number) => `!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*${String(i).padStart(2, '0')}`;

describe('tcpSource', () => {
  it('delivers every complete line exactly once across split reads, disconnects, refusals and resets', async () => {
    const first = await listen();
    const port = first.port;
    const { logger, entries } = recordingLogger();
    const source = tcpSource({ host: HOST, port, logger, backoff: { initialMs: 40, maxMs: 300, factor: 2, jitter: 0 } });
    expect(source.name).toBe(`tcp://${HOST}:${port}`);
    const c = consume(source);

    // Connection 1: lines cut mid-line, between CR and LF, inside the checksum; then a partial
    // line and a clean close. The listener goes away at once, so reconnects are refused.
    const conn1 = await first.next();
    stopListening(first.server);
    const text1 = [1, 2, 3, 4, 5].map(line).join('\r\n') + '\r\n';
    const crAt = text1.indexOf('\r\n');
    await writeInPieces(conn1, text1 + 'PARTIAL-ONE,NO-NEWLINE', [1, 17, crAt + 1, crAt + 2, text1.length - 3, text1.length]);
    conn1.end();
    await c.until(5);

    // Refused for a while: several attempts with growing delays.
    await waitFor(() => source.stats().connectFailures >= 3);
    const second = await listen(port);

    // Connection 2: starts with a complete line (would read "PARTIAL-ONE…!AIVDM" if glued), ends
    // with another partial line and a reset (RST) instead of a clean close.
    const conn2 = await second.next();
    await writeInPieces(conn2, `${line(6)}\n${line(7)}\n${line(8)}\rPARTIAL-TWO`, [30, 90]);
    await c.until(8);
    conn2.resetAndDestroy();

    // Connection 3: after a connection that delivered data the delay starts small again.
    const conn3 = await second.next();
    await writeInPieces(conn3, `${line(9)}\n${line(10)}\n`, [5]);
    await c.until(10);

    expect(c.lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(line));
    const stats = source.stats();
    expect(stats).toMatchObject({ state: 'connected', connects: 3, disconnects: 2, lines: 10 });
    expect(stats.dropped.partial_line_at_disconnect).toBe(2);
    expect(stats.connectFailures).toBeGreaterThanOrEqual(3);

    // Backoff: the retry delays while refused grow (40 → 80 → 160 → 300 cap, no jitter) and the
    // attempts are really spaced that far apart.
    const failures = entries.filter((e) => e.obj.error === 'ECONNREFUSED');
    const delays = failures.map((e) => e.obj.retryInMs as number);
    expect(delays.slice(0, 3)).toEqual([80, 160, 300]);
    for (let i = 1; i < failures.length; i++) expect(failures[i]!.at - failures[i - 1]!.at).toBeGreaterThanOrEqual(delays[i - 1]! - 5);

    // State changes are logged once; retries of the same failure only at debug level.
    expect(failures.filter((e) => e.level === 'warn')).toHaveLength(1);
    expect(failures.filter((e) => e.level === 'debug')).toHaveLength(failures.length - 1);
    expect(entries.filter((e) => e.msg === 'feed connected')).toHaveLength(3);
    expect(entries.filter((e) => e.msg.startsWith('feed disconnected')).map((e) => e.obj.reason)).toEqual(['end of stream', 'ECONNRESET']);
    expect(entries.filter((e) => e.msg.startsWith('feed disconnected'))[1]!.obj.retryInMs).toBe(40);

    // Abort while connected and idle (no idle timeout: only the abort can end it): ends and closes
    // the connection. How fast is measured by `npm run bench -- sources`, not asserted here.
    const closed = new Promise((r) => conn3.on('close', r));
    await c.stop();
    await closed;
    expect(source.stats().state).toBe('stopped');
  });

  it('stops promptly when aborted during a long backoff', async () => {
    const probe = await listen();
    const closed = once(probe.server, 'close');
    stopListening(probe.server); // a port with nothing listening
    await closed;
    // A backoff far longer than the test's timeout: only a prompt abort lets the test end.
    const source = tcpSource({ host: HOST, port: probe.port, backoff: { initialMs: 3_600_000, maxMs: 3_600_000 } });
    const c = consume(source);
    await waitFor(() => source.stats().state === 'backoff');
    expect(source.stats().connectFailures).toBe(1);
    await c.stop();
    expect(c.lines).toEqual([]);
    expect(source.stats().state).toBe('stopped');
  });

  it('closes the socket when the consumer stops iterating', async () => {
    const srv = await listen();
    const source = tcpSource({ host: HOST, port: srv.port });
    const ac = new AbortController();
    consumers.push(ac);
    const iterating = (async () => {
      for await (const b of source.lines(ac.signal)) return b.lines;
      return [];
    })();
    const conn = await srv.next();
    const closed = new Promise((r) => conn.on('close', r));
    conn.write('a\nb\n');
    expect(await iterating).toEqual(['a', 'b']);
    await closed;
    expect(source.stats().state).toBe('stopped');
  });

  it('reconnects a connection that went silent when idleTimeoutMs is set', async () => {
    const srv = await listen();
    const source = tcpSource({ host: HOST, port: srv.port, idleTimeoutMs: 150, backoff: { initialMs: 20, jitter: 0 } });
    const c = consume(source);
    const conn1 = await srv.next();
    conn1.write('first\n');
    const conn2 = await srv.next(); // only comes after the idle timeout dropped conn1
    conn2.write('second\n');
    await c.until(2);
    expect(c.lines).toEqual(['first', 'second']);
    expect(source.stats()).toMatchObject({ connects: 2, disconnects: 1 });
    await c.stop();
  });
});
