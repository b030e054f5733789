import { request } from './api.ts';
import type { AlertSummary } from './types.ts';

/**
 * Alert changes as they commit, from GET /v1/alerts/stream. Read with fetch and a stream reader,
 * not EventSource: EventSource cannot send the Authorization header, and the token must not go
 * in a URL. Reconnects by itself after a dropped connection, resuming after the last event id
 * (the server replays what was missed); stops for good on 401/403.
 */
export function followAlerts(onAlert: (alert: AlertSummary) => void, onState: (state: 'live' | 'reconnecting' | 'stopped') => void) {
  let lastId: string | null = null;
  let stopped = false;
  let ctrl: AbortController | null = null;
  let retryMs = 3000;

  async function connect(): Promise<void> {
    ctrl = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastId) headers['last-event-id'] = lastId;
    const response = await request('/v1/alerts/stream', { headers, signal: ctrl.signal });
    onState('live');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        handle(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  function handle(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (id !== null) lastId = id;
    if (event === 'alert' && data.length > 0) {
      try {
        onAlert(JSON.parse(data.join('\n')) as AlertSummary);
      } catch {
        // a malformed event is skipped; the next list reload shows the truth
      }
    }
  }

  async function run(): Promise<void> {
    while (!stopped) {
      try {
        await connect();
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (stopped || status === 401 || status === 403) break;
      }
      if (stopped) break;
      onState('reconnecting');
      await new Promise((r) => setTimeout(r, retryMs));
    }
    onState('stopped');
  }
  void run();

  return {
    stop(): void {
      stopped = true;
      ctrl?.abort();
    },
  };
}
