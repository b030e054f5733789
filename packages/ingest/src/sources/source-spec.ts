/**
 * Source spec strings, as given on a command line or in configuration:
 *   file:<path> | file:///abs/path | <path>   a file, plain or gzip (detected by content)
 *   - | stdin                                 standard input (a file literally named stdin: ./stdin)
 *   tcp://<host>:<port>                       a TCP feed, reconnected with backoff
 *   udp://<host>:<port>                       a UDP listener (port 0 = any free port)
 *   replay:<speed>:<file spec>                a file replayed at <speed>× its own timestamps;
 *                                             speed: a number (60, 0.5, 60x) or max/inf (no pacing)
 * IPv6 hosts go in brackets: tcp://[::1]:10110.
 */
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@rendezvous/errors';

export type SourceSpec =
  | { kind: 'file'; path: string } // path '-' = stdin
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'udp'; host: string; port: number }
  | { kind: 'replay'; speed: number; path: string }; // speed Infinity = as fast as possible

const USAGE = 'expected file:<path>, <path>, -, stdin, tcp://<host>:<port>, udp://<host>:<port> or replay:<speed>:<path>';

function bad(spec: string, why: string): ValidationError {
  return new ValidationError(`Invalid source "${spec}": ${why} (${USAGE})`);
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.%\w]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

function parseFilePath(spec: string, rest: string): string {
  if (rest === '-' || rest === 'stdin') return '-';
  if (rest.startsWith('file://')) {
    try {
      return fileURLToPath(rest);
    } catch (err) {
      throw bad(spec, `${rest} is not a valid file URL: ${(err as Error).message}`);
    }
  }
  const path = rest.startsWith('file:') ? rest.slice('file:'.length) : rest;
  if (path === '') throw bad(spec, 'the file path is empty');
  return path;
}

function parseSpeed(spec: string, text: string): number {
  const t = text.toLowerCase();
  if (t === 'max' || t === 'inf' || t === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d+)?)x?$/.exec(t);
  const speed = m === null ? NaN : Number(m[1]);
  if (!Number.isFinite(speed)) throw bad(spec, `replay speed "${text}" is not a non-negative number or max`);
  return speed === 0 ? Infinity : speed;
}

export function parseSourceSpec(spec: string): SourceSpec {
  const s = spec.trim();
  if (s === '') throw bad(spec, 'it is empty');
  if (s === '-' || s === 'stdin') return { kind: 'file', path: '-' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'tcp':
    case 'udp': {
      if (!s.slice(4).startsWith('//')) throw bad(spec, `${scheme} sources are written ${scheme}://<host>:<port>`);
      const m = HOST_PORT.exec(s.slice(6));
      if (m === null) throw bad(spec, 'expected <host>:<port> after the scheme, with nothing after the port');
      const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
      const port = Number(m[2]);
      const min = scheme === 'udp' ? 0 : 1;
      if (port < min || port > 65535) throw bad(spec, `port ${port} is outside ${min}–65535`);
      return { kind: scheme, host, port };
    }
    case 'replay': {
      const rest = s.slice('replay:'.length);
      const colon = rest.indexOf(':');
      if (colon <= 0 || colon === rest.length - 1) throw bad(spec, 'replay sources are written replay:<speed>:<path>');
      const speed = parseSpeed(spec, rest.slice(0, colon));
      return { kind: 'replay', speed, path: parseFilePath(spec, rest.slice(colon + 1)) };
    }
    case 'file':
      return { kind: 'file', path: parseFilePath(spec, s) };
    default:
      // A URL-looking spec with another scheme is a typo or an unsupported transport, not a path.
      if (scheme !== undefined && s.slice(scheme.length + 1).startsWith('//')) throw bad(spec, `unsupported scheme "${scheme}"`);
      return { kind: 'file', path: s };
  }
}
