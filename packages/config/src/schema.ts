import Type, { type TLiteral } from 'typebox';

const literals = <const T extends string[]>(...values: T) =>
  values.map((v) => Type.Literal(v)) as { [K in keyof T]: TLiteral<T[K]> };

/**
 * Every environment variable the services read, with its default and meaning. This is the one
 * place configuration is declared; README's configuration table mirrors it (a test checks that).
 */
export const EnvSchema = Type.Object({
  DATABASE_URL: Type.String({
    pattern: '^postgres(ql)?://',
    default: 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous',
    description: 'PostgreSQL+PostGIS connection URL',
  }),
  DATABASE_MIGRATION_URL: Type.String({
    pattern: '^$|^postgres(ql)?://',
    default: '',
    description: 'Connection URL of the role that owns the schema and applies migrations (it may create extensions and tables); the services connect as DATABASE_URL, a role that can only read and write rows. Empty = migrate as DATABASE_URL',
  }),
  DATABASE_POOL_MAX: Type.Integer({
    minimum: 1,
    maximum: 200,
    default: 10,
    description:
      "Maximum connections in the one pg pool of a process. An API under load does better with fewer: about twice the database server's cores (PostgreSQL wiki, Number Of Database Connections); one run of the API bench, PostgreSQL on the same 2-core host: list pages at 10 clients p99 46 ms with 4, 57 ms with 10",
  }),
  REDIS_URL: Type.String({
    pattern: '^rediss?://',
    default: 'redis://localhost:6379/0',
    description: 'Redis connection URL (BullMQ queues)',
  }),
  REDIS_PREFIX: Type.String({
    pattern: '^[A-Za-z0-9_.:-]{1,64}$',
    default: 'rzv',
    description: 'Key prefix for every BullMQ queue, so several deployments can share one Redis',
  }),
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'Interface the API listens on (0.0.0.0 in containers)',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'API port' }),
  LOG_LEVEL: Type.Union(literals('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), {
    default: 'info',
    description: 'pino log level',
  }),
  LOG_FORMAT: Type.Union(literals('auto', 'json', 'pretty'), {
    default: 'auto',
    description: 'auto = human-readable on a TTY, JSON lines otherwise',
  }),
  CORS_ORIGINS: Type.String({
    default: '',
    pattern: '^$|^(\\*|https?://[^\\s,/]+)(,(https?://[^\\s,/]+))*$',
    description: 'Comma-separated origins allowed to call the API from a browser (e.g. https://ops.example.org); empty = none, * = any',
  }),
  RATE_LIMIT_MAX: Type.Integer({
    minimum: 1,
    maximum: 10_000_000,
    default: 1200,
    description: 'Requests one API token (or one client address, for public routes) may make per RATE_LIMIT_WINDOW_SECONDS; more get 429',
  }),
  RATE_LIMIT_WINDOW_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 60,
    description: 'Length of the rate-limit window',
  }),
  DEMO: Type.Union(literals('on', 'off'), {
    default: 'on',
    description: 'on = `npm start` on an empty database seeds a labelled demo (simulated feed, demo watchlist, demo token); off = never',
  }),
  PORTS_FILE: Type.String({
    default: '',
    description: 'CSV of port/anchorage points (latitude, longitude columns, e.g. GFW anchorages or WPI ports); meetings near them are flagged in_port and not alerted (empty = no port mask)',
  }),
  STS_AREAS_FILE: Type.String({
    default: '',
    description: 'GeoJSON FeatureCollection of known ship-to-ship transfer areas (Polygon/MultiPolygon with a name); empty = the file shipped in @rendezvous/geography (data/sts-hubs.geojson), off = no hub areas',
  }),
  SANCTIONED_COUNTRIES: Type.String({
    default: 'PRK',
    pattern: '^off$|^ *[A-Za-z]{3} *(, *[A-Za-z]{3} *)*$',
    description: 'Comma-separated ISO 3166-1 alpha-3 codes of sanctioned countries: calls at their ports (SANCTIONED_PORTS_FILE) and AIS gaps near their waters (SANCTIONED_AREAS_FILE) are flagged; off = none (empty takes the default)',
  }),
  SANCTIONED_PORTS_FILE: Type.String({
    default: '',
    description: 'GeoJSON FeatureCollection of sanctioned ports (Point with name, country ISO3, radiusM); empty = the file shipped in @rendezvous/geography (data/sanctioned-ports.geojson: DPRK main ports), off = none',
  }),
  SANCTIONED_AREAS_FILE: Type.String({
    default: '',
    description: 'GeoJSON FeatureCollection of sanctioned sea areas (Polygon/MultiPolygon with name, country ISO3); empty = the file shipped in @rendezvous/geography (data/sanctioned-areas.geojson: approximate DPRK waters), off = none',
  }),
  DETECTION_WINDOW_MINUTES: Type.Integer({
    minimum: 10,
    maximum: 1440,
    default: 60,
    description: 'Length of the time windows detection jobs cover (ingest enqueues each window it touched)',
  }),
  DETECTION_MAX_MEETING_HOURS: Type.Integer({
    minimum: 12,
    maximum: 2160,
    default: 168,
    description: 'Longest meeting reported whole: a meeting longer than a window\'s first read is re-read for its two vessels up to this far either side of the window (longer ones stay provisional fragments)',
  }),
  INGEST_SOURCES: Type.String({
    default: '',
    description: 'Comma-separated live feeds the ingest service reads: tcp://host:port, udp://host:port, file paths',
  }),
  // 50,000: a batch also upserts each of its vessels and 10-minute buckets once, so a bigger batch
  // spreads those over more positions. With `node packages/ingest/bench/ingest.bench.ts` (2,000
  // vessels, issue 16): PostgreSQL CPU 3.6-3.9 µs per position at 20,000, 2.9-3.0 at 40,000,
  // 2.7-2.8 at 50,000 and 60,000, 2.5-2.9 at 100,000; peak RSS flat up to 60,000 (≈ 260 MB), 305 MB
  // at 100,000. Commit latency grows with it (mean 145 -> ≈ 300 ms), well under INGEST_FLUSH_MS.
  INGEST_BATCH_SIZE: Type.Integer({
    minimum: 100,
    maximum: 1_000_000,
    default: 50_000,
    description: 'Observations per committed batch (one COPY + one transaction)',
  }),
  INGEST_BATCH_BYTES: Type.Integer({
    minimum: 65_536,
    maximum: 1_073_741_824,
    default: 8_388_608,
    description: 'Bytes of input lines per committed batch at most, whichever of this and INGEST_BATCH_SIZE comes first: long lines (CSV rows, multi-part messages) cannot make a batch, and the memory it holds, grow without bound',
  }),
  INGEST_FLUSH_MS: Type.Integer({
    minimum: 50,
    maximum: 60_000,
    default: 1000,
    description: 'A partial batch is committed after this long, so live data is stored within about a second',
  }),
  REPROCESS_SCHEDULE: Type.String({
    default: '',
    pattern: '^$|^\\S+( \\S+){4,5}$',
    description: 'Cron pattern (UTC) for scheduled re-runs, e.g. "0 3 * * *"; empty = none (BullMQ job scheduler)',
  }),
  REPROCESS_SCHEDULE_LOOKBACK_HOURS: Type.Integer({
    minimum: 1,
    maximum: 24 * 365,
    default: 48,
    description: 'Each scheduled re-run covers this many hours back from its start (late data, new watchlist entries)',
  }),
  WORKER_LOCK_MS: Type.Integer({
    minimum: 1000,
    maximum: 600_000,
    default: 30_000,
    description: "How long a worker's job lock lasts without renewal: a crashed worker's job is retried by another after about this long (BullMQ lockDuration)",
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 3_600_000,
    default: 300_000,
    description: 'statement_timeout of the ingest and detector connections (a window read or a COPY may take minutes); the API uses API_STATEMENT_TIMEOUT_MS',
  }),
  API_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 5000,
    description: 'statement_timeout of the API\'s connections: no request can hold a query longer',
  }),
  DATABASE_LOCK_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 10_000,
    description: 'lock_timeout of every connection: a statement waiting longer for a lock fails (and is retried) instead of queueing behind it',
  }),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 60_000,
    description: 'idle_in_transaction_session_timeout of every connection: a client that stalls inside a transaction loses it, releasing its locks',
  }),
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 30_000,
    description: 'An HTTP request not fully received and answered within this long is closed (Fastify requestTimeout; the SSE stream and CSV export are exempt once they start streaming)',
  }),
  HTTP_CONNECTION_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 60_000,
    description: 'An idle HTTP connection is closed after this long (Fastify connectionTimeout / keep-alive)',
  }),
  TRUST_PROXY: Type.String({
    default: '',
    pattern: '^$|^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$',
    description: 'Behind a reverse proxy: which X-Forwarded-For hops to trust for the client address (rate limits, logs): empty/false = none, true = all, a number = that many hops, or comma-separated proxy addresses/CIDRs',
  }),
  SSE_MAX_STREAMS: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 200,
    description: 'Open /v1/alerts/stream connections one API process accepts in total; more get 429',
  }),
  SSE_MAX_STREAMS_PER_TOKEN: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 5,
    description: 'Open /v1/alerts/stream connections one API token may hold; more get 429',
  }),
  INGEST_UDP_QUEUE_BYTES: Type.Integer({
    minimum: 65_536,
    maximum: 1_073_741_824,
    default: 16_777_216,
    description: 'Bytes of UDP datagrams ingest holds while PostgreSQL is slow; datagrams beyond are dropped and counted (udp_queue_full)',
  }),
  INGEST_MAX_DAYS_PER_BATCH: Type.Integer({
    minimum: 1,
    maximum: 3660,
    default: 62,
    description: 'Distinct UTC days one batch may add partitions for; positions on further new days are rejected and counted (too_many_days), so forged stamps cannot create partitions without bound',
  }),
  WEBHOOKS: Type.Union(literals('on', 'off'), {
    default: 'on',
    description: 'on = the API delivers alert changes to registered webhooks (POST /v1/webhooks); off = it records and sends nothing (hooks can still be registered)',
  }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 5000,
    description: 'A webhook endpoint must answer within this long, or the attempt fails and is retried',
  }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({
    minimum: 10,
    maximum: 3_600_000,
    default: 2000,
    description: 'First wait before retrying a failed webhook delivery; it doubles at each of the 8 attempts (about 4 min in all by default)',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 8000,
    description: 'Grace period for closing queues and the pool on SIGINT/SIGTERM before forcing exit',
  }),
});
