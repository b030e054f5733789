/**
 * The demo's AIS feed: a TCP server on 127.0.0.1 that plays NMEA lines to whoever connects (the
 * ingest service, through its ordinary `tcp://` source), paced by their TAG-block times at N×
 * real time. The pacing is the ingest replay source's own (`replaySource`, without re-stamping:
 * the demo's lines already end at "now", so they never run into the future that ingest rejects).
 */
import net from 'node:net';
import { once } from 'node:events';
import { parseSentence } from '@rendezvous/ais';
import { emptyStats, replaySource, type LineSource } from '@rendezvous/ingest';

export interface FeedServer {
  /** The ingest source spec that reads this feed, e.g. `tcp://127.0.0.1:40123`. */
  source: string;
  /** Settles when every line has been written (or the feed was stopped). */
  finished: Promise<{ lines: number; ms: number; stopped: boolean }>;
  stop(): Promise<void>;
}

/** Lines handed to the pacer at a time: the generator is lazy, so memory stays flat. */
const CHUNK = 500;

function lineTime(line: string): number | null {
  const parsed = parseSentence(line);
  return parsed.ok ? parsed.sentence.timestampMs : null;
}

/** An iterable of lines as a LineSource, so the replay pacer can consume it. */
function iterableSource(lines: Iterable<string>): LineSource {
  let count = 0;
  return {
    name: 'demo-simulation',
    stats: () => ({ ...emptyStats('reading'), lines: count }),
    async *lines(signal) {
      let batch: string[] = [];
      for (const line of lines) {
        if (signal.aborted) return;
        batch.push(line);
        if (batch.length === CHUNK) {
          count += batch.length;
          yield { lines: batch, receivedAtMs: Date.now() };
          batch = [];
        }
      }
      count += batch.length;
      if (batch.length > 0) yield { lines: batch, receivedAtMs: Date.now() };
    },
  };
}

export async function startFeedServer(lines: Iterable<string>, options: { speed: number }): Promise<FeedServer> {
  const controller = new AbortController();
  const { signal } = controller;
  let client: net.Socket | null = null;
  let connected: (() => void) | null = null;
  const server = net.createServer((socket) => {
    // One reader at a time: a reconnecting ingest replaces the old connection.
    client?.destroy();
    client = socket;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (client === socket) client = null;
    });
    connected?.();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;

  const waitForClient = async (): Promise<net.Socket | null> => {
    while (client === null && !signal.aborted) {
      await new Promise<void>((resolve) => {
        connected = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      connected = null;
    }
    return client;
  };

  const play = async () => {
    // The clock starts when ingest first connects, not when the server opens.
    if ((await waitForClient()) === null) return { lines: 0, ms: 0, stopped: true };
    const started = Date.now();
    let written = 0;
    const paced = replaySource(iterableSource(lines), { speed: options.speed, timeOf: lineTime });
    for await (const batch of paced.lines(signal)) {
      const socket = await waitForClient();
      if (socket === null) break;
      // Lines written to a connection that then drops are lost, as on a real feed.
      if (!socket.write(batch.lines.join('\r\n') + '\r\n')) {
        await Promise.race([once(socket, 'drain'), once(socket, 'close')]).catch(() => undefined);
      }
      written += batch.lines.length;
    }
    return { lines: written, ms: Date.now() - started, stopped: signal.aborted };
  };
  const finished = play();

  return {
    source: `tcp://127.0.0.1:${port}`,
    finished,
    async stop() {
      controller.abort();
      await finished.catch(() => undefined);
      client?.destroy();
      server.close();
    },
  };
}
