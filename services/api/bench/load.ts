// Load generation for the API benchmark: autocannon's programmatic API behind a small typed
// surface (the package ships no types), and the figures the bench prints from its result.
import { createRequire } from 'node:module';

interface Percentiles {
  average: number;
  p50: number;
  p99: number;
  max: number;
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
  timeout?: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  latency: Percentiles;
  requests: Percentiles & { total: number };
  statusCodeStats?: Record<string, { count: number }>;
  '2xx': number;
  non2xx: number;
}

type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadCase {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** Overrides the run's connection count for this case. */
  connections?: number;
  /** Picks the path of each request (e.g. a random alert id); default: the url's path. */
  nextPath?: () => string;
}

export interface LoadFigures {
  name: string;
  /** Completed responses per second over the measured run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** CPU milliseconds per completed request over the measured run: the server's process and PostgreSQL's (null: not measured). */
  serverCpuMsPerRequest: number | null;
  postgresCpuMsPerRequest: number | null;
}

/** Starts counting CPU; the function it returns gives the milliseconds the server under load and PostgreSQL used since (null where unknown). */
export type CpuMeter = () => Promise<() => Promise<{ server: number | null; postgres: number | null }>>;

export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
}

/** A warm-up run (JIT, pool connections, caches), then the measured run with the same settings. */
export async function measure(c: LoadCase, settings: LoadSettings, cpu?: CpuMeter): Promise<LoadFigures> {
  const options = (duration: number): AutocannonOptions => ({
    url: c.url,
    connections: c.connections ?? settings.connections,
    duration,
    timeout: 10,
    ...(c.headers ? { headers: c.headers } : {}),
    ...(c.nextPath
      ? {
          requests: [
            {
              setupRequest: (request) => {
                request.path = c.nextPath!();
                return request;
              },
            },
          ],
        }
      : {}),
  });
  if (settings.warmupS > 0) await autocannon(options(settings.warmupS));
  const stop = await cpu?.();
  const r = await autocannon(options(settings.durationS));
  const used = await stop?.();
  const perRequest = (ms: number | null | undefined) => (ms == null || r.requests.total === 0 ? null : ms / r.requests.total);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(count);
  return {
    name: c.name,
    rps: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    total: r.requests.total,
    statusCodes,
    errors: r.errors,
    timeouts: r.timeouts,
    serverCpuMsPerRequest: perRequest(used?.server),
    postgresCpuMsPerRequest: perRequest(used?.postgres),
  };
}
