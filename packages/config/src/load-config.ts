import type { Static } from 'typebox';
import Value from 'typebox/value';
import { ConfigError } from '@rendezvous/errors';
import { EnvSchema } from './schema.ts';

export type Env = Static<typeof EnvSchema>;

export interface Config {
  db: {
    url: string;
    /** The schema owner's URL (migrations); equals url when DATABASE_MIGRATION_URL is empty. */
    migrationUrl: string;
    poolMax: number;
    statementTimeoutMs: number;
    lockTimeoutMs: number;
    idleInTransactionTimeoutMs: number;
  };
  redis: { url: string; prefix: string; workerLockMs: number };
  http: {
    host: string;
    port: number;
    corsOrigins: string[];
    rateLimit: { max: number; windowMs: number };
    statementTimeoutMs: number;
    requestTimeoutMs: number;
    connectionTimeoutMs: number;
    /** Fastify's trustProxy: false, true, a hop count, or proxy addresses/CIDRs. */
    trustProxy: boolean | number | string;
    sse: { maxStreams: number; maxStreamsPerToken: number };
  };
  demo: boolean;
  log: { level: Env['LOG_LEVEL']; format: Env['LOG_FORMAT'] };
  shutdownTimeoutMs: number;
  detection: { windowMs: number; schedule: string | null; scheduleLookbackMs: number; portsFile: string | null; stsAreasFile: string | null | 'off'; maxMeetingMs: number };
  /** Sanctioned countries, ports and areas (issue 15): the shapes @rendezvous/geography loadSanctioned takes. */
  sanctions: { countries: string[]; portsFile: string | null | 'off'; areasFile: string | null | 'off' };
  ingest: { sources: string[]; batchSize: number; batchBytes: number; flushMs: number; udpQueueBytes: number; maxDaysPerBatch: number };
  /** Webhook delivery from the API process (issue 14). */
  webhooks: { enabled: boolean; timeoutMs: number; retryBaseMs: number };
}

interface PropertySchema {
  description?: string;
  default?: unknown;
  anyOf?: readonly { const?: unknown }[];
}

const KNOWN = Object.keys(EnvSchema.properties) as (keyof Env)[];

/**
 * Validates the environment once, at boot. Unset or empty variables take their defaults; a bad
 * value throws ConfigError naming the variable, the value's problem and the expected form.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = source[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const candidate = Value.Default(EnvSchema, Value.Convert(EnvSchema, { ...raw }));
  const problems = [...Value.Errors(EnvSchema, candidate)].map((error) => {
    const variable = error.instancePath.replace(/^\//, '') || 'environment';
    const schema = (EnvSchema.properties as Record<string, PropertySchema>)[variable];
    const given = raw[variable];
    const allowed = schema?.anyOf?.map((s) => s.const);
    return {
      variable,
      message:
        (allowed ? `must be one of ${allowed.join(', ')}` : error.message) +
        (given === undefined ? '' : ` (got ${JSON.stringify(redactSecrets(given))})`) +
        (schema?.description ? ` — ${schema.description}` : ''),
    };
  });
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  const env = candidate as Env;
  return {
    db: {
      url: env.DATABASE_URL,
      migrationUrl: env.DATABASE_MIGRATION_URL || env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX, workerLockMs: env.WORKER_LOCK_MS },
    http: {
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
      rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000 },
      statementTimeoutMs: env.API_STATEMENT_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      connectionTimeoutMs: env.HTTP_CONNECTION_TIMEOUT_MS,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      sse: { maxStreams: env.SSE_MAX_STREAMS, maxStreamsPerToken: env.SSE_MAX_STREAMS_PER_TOKEN },
    },
    demo: env.DEMO === 'on',
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    detection: {
      windowMs: env.DETECTION_WINDOW_MINUTES * 60_000,
      schedule: env.REPROCESS_SCHEDULE || null,
      scheduleLookbackMs: env.REPROCESS_SCHEDULE_LOOKBACK_HOURS * 3_600_000,
      portsFile: env.PORTS_FILE || null,
      // null = the shipped file (@rendezvous/geography DEFAULT_STS_AREAS_FILE); 'off' = no hub areas.
      stsAreasFile: env.STS_AREAS_FILE === 'off' ? 'off' : env.STS_AREAS_FILE || null,
      maxMeetingMs: env.DETECTION_MAX_MEETING_HOURS * 3_600_000,
    },
    // null = the shipped file (@rendezvous/geography DEFAULT_SANCTIONED_*_FILE); 'off' = none.
    sanctions: {
      countries: env.SANCTIONED_COUNTRIES === 'off' ? [] : [...new Set(env.SANCTIONED_COUNTRIES.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))],
      portsFile: env.SANCTIONED_PORTS_FILE === 'off' ? 'off' : env.SANCTIONED_PORTS_FILE || null,
      areasFile: env.SANCTIONED_AREAS_FILE === 'off' ? 'off' : env.SANCTIONED_AREAS_FILE || null,
    },
    ingest: {
      sources: env.INGEST_SOURCES.split(',').map((s) => s.trim()).filter(Boolean),
      batchSize: env.INGEST_BATCH_SIZE,
      batchBytes: env.INGEST_BATCH_BYTES,
      flushMs: env.INGEST_FLUSH_MS,
      udpQueueBytes: env.INGEST_UDP_QUEUE_BYTES,
      maxDaysPerBatch: env.INGEST_MAX_DAYS_PER_BATCH,
    },
    webhooks: { enabled: env.WEBHOOKS === 'on', timeoutMs: env.WEBHOOK_TIMEOUT_MS, retryBaseMs: env.WEBHOOK_RETRY_BASE_MS },
  };
}

/** TRUST_PROXY → Fastify's trustProxy option (empty or false: trust no X-Forwarded-For). */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value;
}

function dedupe<T extends { variable: string }>(problems: T[]): T[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.variable) ? false : (seen.add(p.variable), true)));
}

/** Parameters that carry a secret: libpq's `?password=` (or `password=` in a keyword string), tokens, keys. */
const SECRET_PARAMS = /((?:^|[?&\s;])(?:password|passwd|pwd|pass|secret|token|api_?key|access_?key|sslpassword)=)[^&\s#"'`;]*/gi;

/**
 * Hides every secret a URL in `text` may carry, for messages and logs: the password of its
 * userinfo (`scheme://user:pass@host`, even when the password itself holds `@`, `:`, `/` or `?`:
 * everything up to the last `@` before the host goes) and secret query parameters
 * (`?password=`, `&sslpassword=`, tokens and keys). Linear in the text: each run of
 * non-blank characters is walked backwards once, from its last `@`.
 */
export function redactSecrets(text: string): string {
  return text.replace(/[^\s"'`,]+/g, redactToken).replace(SECRET_PARAMS, '$1***');
}

function redactToken(token: string): string {
  let end = token.length;
  let out = '';
  for (let at = token.lastIndexOf('@'); at >= 0; at = token.lastIndexOf('@', end - 1)) {
    const scheme = token.lastIndexOf('://', at);
    if (scheme < 0) break;
    const userinfo = token.slice(scheme + 3, at);
    const colon = userinfo.indexOf(':');
    // user:password, the user part holding no '/' (else the '@' is in a path, not credentials)
    if (colon >= 0 && !userinfo.slice(0, colon).includes('/')) {
      out = token.slice(scheme, scheme + 3 + colon + 1) + '***' + token.slice(at, end) + out;
    } else {
      out = token.slice(scheme, end) + out;
    }
    end = scheme;
    if (end === 0) break;
  }
  return token.slice(0, end) + out;
}

/** Rows for documentation and `cli config`: every variable, its default and its meaning. */
export function describeEnv(): { variable: string; default: unknown; description: string }[] {
  return KNOWN.map((variable) => {
    const s = (EnvSchema.properties as Record<string, PropertySchema>)[variable]!;
    return { variable, default: s.default, description: s.description ?? '' };
  });
}
