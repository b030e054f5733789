export { createDatabase, checkDatabase } from './pool.ts';
export { prepared, installStatementCache, PREPARE_MARKER, PREPARED_PER_CONNECTION } from './prepared-statements.ts';
export type { DatabaseHandle, DependencyState, SessionLimits, SessionSettings } from './pool.ts';
export { migrate, readMigrations, serviceRoleOf, MigrationError, MIGRATIONS_DIR } from './migrator.ts';
export { migrateDatabase } from './migrate-database.ts';
export type { Migration, MigrationResult } from './migrator.ts';
export type { Database, IdentityField } from './schema.ts';
export { DATABASE_COLUMNS } from './schema-columns.ts';
export { sql } from 'kysely';
export { createWatchlistRepository, type WatchlistRepository, type ImportResult } from './repositories/watchlist-repository.ts';
export { createSuspectRepository, type SuspectRepository, type Suspect } from './repositories/suspect-repository.ts';
export { createScreeningService, type ScreeningService } from './screening-service.ts';
export { createVesselRepository, unknownVessel, type VesselRepository, type VesselRow, type VesselIdentity } from './repositories/vessel-repository.ts';
export { createTokenRepository, API_ROLES, TOKEN_MARKER, isApiRole, looksLikeApiToken, hashApiToken, type TokenRepository, type ApiRole, type ApiToken, type VerifiedToken } from './repositories/token-repository.ts';
export { createIdentityRepository, type IdentityRepository, type AnomalousVessel, type IdentityHistoryEntry } from './repositories/identity-repository.ts';
export { createTrackRepository, type TrackRepository, type TrackFix, type ColumnarPositions, type BucketedPositions, type TrackRange, type Bbox } from './repositories/track-repository.ts';
export { ewkbPoint, isoTime } from './copy-encoding.ts';
export { BinaryCopyWriter, isInt2, isInt4 } from './copy-binary.ts';
export { EvidenceTrack, evidenceTrackJson, evidenceTrackJsonBytes } from './repositories/evidence-json.ts';
export { BUCKET_MS, BUCKETS_STAGING_SQL, aggregateBuckets, writePositionBuckets, type BucketInput } from './repositories/position-buckets.ts';
export { ALERT_STATUSES, ALERT_TYPES, TRIAGE_STATES, TWO_VESSEL_ALERT_TYPES, type AlertStatus, type AlertType, type TriageState } from './schema-tables.ts';
export { createAlertRepository, type AlertRepository, type AlertWrite, type BehaviourAlertWrite, type RendezvousAlertWrite } from './repositories/alert-repository.ts';
export {
  createAlertQueryRepository,
  alertCellsOf,
  ALERT_WALK_MAX_CELLS,
  applyFilter as applyAlertFilter,
  readAlertHighWater,
  ALERT_HIGH_WATER_SQL,
  encodeAlertCursor,
  decodeAlertCursor,
  ALERT_SORTS,
  DEFAULT_ALERT_STATUSES,
  ALERT_PAGE_DEFAULT,
  ALERT_PAGE_MAX,
  type AlertQueryRepository,
  type AlertFilter,
  type AlertPageRequest,
  type AlertListPage,
  type AlertRow,
  type AlertDetailRow,
  type AlertEvidenceRow,
  type AlertSort,
  type TriageHistoryRow,
  type UpdatedSince,
} from './repositories/alert-query-repository.ts';
export { createOutboxRepository, recordOutboxWindows, type OutboxRepository, type DueWindow } from './repositories/detection-outbox.ts';
export { createDraughtRepository, type DraughtRepository, type DraughtPoint } from './repositories/draught-repository.ts';
export { createDestinationRepository, type DestinationRepository, type DestinationPoint } from './repositories/destination-repository.ts';
export { createPortCallRepository, PORT_CALL_LIST_MAX, type PortCallRepository, type PortCallRecord, type PortCallOwner } from './repositories/port-call-repository.ts';
export {
  createWebhookRepository,
  WEBHOOK_ERROR_MAX,
  type WebhookRepository,
  type Webhook,
  type WebhookFilter,
  type ActiveWebhook,
  type NewDelivery,
  type WebhookDelivery,
  type DeliveryWork,
} from './repositories/webhook-repository.ts';
export { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from './schema-tables.ts';
export { createRawReportRepository, type RawReportRepository, type RawReport } from './repositories/raw-report-repository.ts';
