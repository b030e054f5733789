/** Input sources of the ingest worker: everything that turns a feed or a file into LineBatches. */
import { fileSource, type FileSourceOptions } from './file-source.ts';
import type { LineSource, SourceLogger } from './line-source.ts';
import { replaySource, type ReplayOptions } from './replay-source.ts';
import { parseSourceSpec } from './source-spec.ts';
import { tcpSource, type TcpSourceOptions } from './tcp-source.ts';
import { udpSource, type UdpSourceOptions } from './udp-source.ts';

export * from './line-source.ts';
export { LineSplitter, type LineSplitterOptions } from './line-splitter.ts';
export { Backoff, type BackoffOptions } from './backoff.ts';
export { isGzip, gunzipIfCompressed } from './gunzip.ts';
export { fileSource, sniffFirstLine, type FileSourceOptions } from './file-source.ts';
export { tcpSource, type TcpSourceOptions } from './tcp-source.ts';
export { udpSource, type UdpSourceOptions } from './udp-source.ts';
export { replaySource, type ReplayOptions } from './replay-source.ts';
export { parseSourceSpec, type SourceSpec } from './source-spec.ts';

export interface OpenSourceOptions {
  logger?: SourceLogger;
  /** Memory cap per line for every kind (default 64 KiB). */
  maxLineBytes?: number;
  file?: Omit<FileSourceOptions, 'maxLineBytes'>;
  tcp?: Omit<TcpSourceOptions, 'host' | 'port' | 'logger' | 'maxLineBytes'>;
  udp?: Omit<UdpSourceOptions, 'host' | 'port' | 'logger' | 'maxLineBytes'>;
  /** Required for replay specs: how to read (and optionally rewrite) a line's time. */
  replay?: Omit<ReplayOptions, 'speed'>;
}

/** Opens the source a spec string names (see source-spec.ts); a bad spec throws a ValidationError. */
export function openSource(spec: string, options: OpenSourceOptions = {}): LineSource {
  const parsed = parseSourceSpec(spec);
  const common = { maxLineBytes: options.maxLineBytes, logger: options.logger };
  switch (parsed.kind) {
    case 'file':
      return fileSource(parsed.path, { ...options.file, maxLineBytes: options.maxLineBytes });
    case 'tcp':
      return tcpSource({ ...options.tcp, ...common, host: parsed.host, port: parsed.port });
    case 'udp':
      return udpSource({ ...options.udp, ...common, host: parsed.host, port: parsed.port });
    case 'replay': {
      if (options.replay === undefined) throw new TypeError(`openSource("${spec}"): replay sources need options.replay.timeOf`);
      const inner = fileSource(parsed.path, { ...options.file, maxLineBytes: options.maxLineBytes });
      const timeOf = options.replay.timeOf;
      // A first pass over the file finds where the capture ends, so a retimed replay above 1×
      // can end at "now" instead of running into the future (replay-source.ts).
      const feedEnd = async (signal: AbortSignal) => {
        let last: number | null = null;
        const scan = fileSource(parsed.path, { ...options.file, maxLineBytes: options.maxLineBytes });
        for await (const batch of scan.lines(signal)) {
          for (const line of batch.lines) {
            const t = timeOf(line);
            if (t !== null && (last === null || t > last)) last = t;
          }
        }
        return last;
      };
      return replaySource(inner, { feedEnd, ...options.replay, speed: parsed.speed });
    }
  }
}
