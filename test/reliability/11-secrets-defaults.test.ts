// Issue 11 item 11: secrets and defaults. Passwords never reach a log line (even with '@' in
// them, or as ?password=); the services connect as a role that cannot change the schema (setup
// creates it beside the owner that migrates); docker-compose ships no superuser password a user
// would keep; the demo never seeds a database that has ever held someone's data, and its token
// expires.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { redactSecrets } from '@rendezvous/config';
import { createDatabase, createTokenRepository, migrateDatabase, type DatabaseHandle } from '@rendezvous/db';
import { buildApp } from '../../services/api/src/app.ts';
import { createRedis } from '@rendezvous/queue';
import { PositionStore } from '@rendezvous/ingest';
import { DEMO_TOKEN_TTL_MS, isFreshDatabase, seedDemo } from '../../scripts/demo/seed-demo.ts';
import { ROOT, quietLogger, testConfig } from '../support/harness.ts';
import { position } from '../support/positions.ts';
import { dropDatabase, recreateDatabase } from '../support/databases.ts';
import { databaseUrlFor, serviceUrlFor } from '../support/test-env.ts';

const config = testConfig();
const twoRoles = config.db.migrationUrl !== config.db.url;
const handles: DatabaseHandle[] = [];
const scratch = `rendezvous_rel11_${process.pid}`;
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await dropDatabase(scratch);
});

describe('secrets and defaults (issue 11, item 11)', () => {
  it('redactSecrets hides passwords holding @, ?password= and keyword password=, and stays linear on hostile text', () => {
    expect(redactSecrets('postgres://app:p@ss@w0rd@db.internal:5432/x')).toBe('postgres://app:***@db.internal:5432/x');
    expect(redactSecrets('connect to postgres://app@db/x?sslmode=require&password=hunter2 failed')).toBe('connect to postgres://app@db/x?sslmode=require&password=*** failed');
    expect(redactSecrets('host=db user=app password=hunter2 dbname=x')).toBe('host=db user=app password=*** dbname=x');
    expect(redactSecrets('{"url":"redis://:s3cr@t@cache:6379/0"}')).toBe('{"url":"redis://:***@cache:6379/0"}');
    const hostile = 'postgres://'.repeat(20_000) + 'a:b@'.repeat(20_000);
    expect(redactSecrets(hostile)).not.toContain(':b@');
  });

  it.skipIf(!twoRoles)(
    'services connect as a role that is no superuser and cannot change the schema, yet ingest still creates day partitions (skipped when DATABASE_MIGRATION_URL is unset: one role does both)',
    async () => {
      const service = createDatabase({ ...config.db, poolMax: 2 }, quietLogger);
      handles.push(service);
      const { rows } = await service.pool.query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean; me: string }>(
        'SELECT rolsuper, rolcreatedb, rolcreaterole, current_user AS me FROM pg_roles WHERE rolname = current_user',
      );
      expect(rows[0]).toMatchObject({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
      expect(rows[0]!.me).toBe(decodeURIComponent(new URL(config.db.url).username));
      for (const ddl of ['CREATE TABLE rel11_probe (id int)', 'TRUNCATE positions', 'DROP TABLE alerts', 'ALTER TABLE vessels ADD COLUMN rel11 int', 'DELETE FROM schema_migrations']) {
        await expect(service.pool.query(ddl), ddl).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
      }
      // A day no test has used: its partition does not exist yet, and the service role makes it
      // through the owner's SECURITY DEFINER function (migrations/0016).
      const day = Date.UTC(2011, 2, 3 + (process.pid % 20));
      const store = new PositionStore(service.pool, quietLogger);
      try {
        const result = await store.write({ positions: [position(311000111, day + 3_600_000, 5, 55, 1)], statics: [] });
        expect(result.positionsStored + (await service.pool.query('SELECT 1 FROM positions WHERE mmsi = 311000111 AND ts = $1', [new Date(day + 3_600_000)])).rowCount!).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    },
  );

  it('docker-compose ships no superuser password a user would keep, and its services are not the superuser', () => {
    const compose = readFileSync(`${ROOT}/docker-compose.yml`, 'utf8');
    const password = /POSTGRES_PASSWORD:\s*(\S+)/.exec(compose)?.[1] ?? '';
    expect(password).toMatch(/^\$\{POSTGRES_PASSWORD:-CHANGE-ME[^}]*\}$/);
    const superuser = /POSTGRES_USER:\s*(\S+)/.exec(compose)?.[1];
    const serviceUser = /DATABASE_URL:\s*postgres:\/\/([^:@]+)/.exec(compose)?.[1];
    expect(serviceUser).toBeDefined();
    expect(serviceUser).not.toBe(superuser);
    expect(compose).toMatch(/DATABASE_MIGRATION_URL:\s*postgres:\/\/rendezvous_owner:/);
  });

  it('the demo never seeds a database that ever held data (emptied tables are not enough), and its token expires', async () => {
    await recreateDatabase(scratch);
    await migrateDatabase({ url: serviceUrlFor(scratch), migrationUrl: databaseUrlFor(scratch) }, quietLogger);
    const owner = createDatabase({ url: databaseUrlFor(scratch), poolMax: 2 }, quietLogger);
    handles.push(owner);
    expect(await isFreshDatabase(owner.db)).toBe(true);

    // Someone issued a token and deleted it: not fresh.
    const issued = await createTokenRepository(owner.db).create({ role: 'viewer', name: 'someone' });
    await owner.pool.query('DELETE FROM api_tokens WHERE id = $1', [issued.id]);
    expect(await isFreshDatabase(owner.db)).toBe(false);
    await owner.pool.query("SELECT setval('api_tokens_id_seq', 1, false)");
    expect(await isFreshDatabase(owner.db)).toBe(true);

    // Someone ingested last year's data and purged it: not fresh.
    const store = new PositionStore(owner.pool, quietLogger);
    await store.write({ positions: [position(311000222, Date.UTC(2025, 5, 1, 12), 5, 55, 1)], statics: [] });
    await store.close();
    await owner.pool.query('TRUNCATE positions, vessels, vessel_identity_history');
    expect(await isFreshDatabase(owner.db)).toBe(false);

    // The demo's token: expires, and is refused once it has.
    const seed = await seedDemo(owner.db, 'imo,mmsi,name,reason,source\n,626123020,DEMO STAR MERCURY,demo,demo\n');
    const { rows } = await owner.pool.query<{ expires_at: Date }>('SELECT expires_at FROM api_tokens WHERE id = $1', [seed.tokenId]);
    const ttl = rows[0]!.expires_at.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(DEMO_TOKEN_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(DEMO_TOKEN_TTL_MS);
    const appConfig = testConfig({ DATABASE_URL: serviceUrlFor(scratch) });
    const redis = createRedis(appConfig.redis, quietLogger, 'producer');
    const app = await buildApp({ config: appConfig, logger: quietLogger, database: owner, redis });
    try {
      const ok = await app.inject({ url: '/v1/watchlists', headers: { authorization: `Bearer ${seed.token}` } });
      expect(ok.statusCode).toBe(200);
      await owner.pool.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [seed.tokenId]);
      const fresh = await createTokenRepository(owner.db).verify(seed.token);
      expect(fresh).toMatchObject({ expired: true });
      // A new process (no cached verification) refuses it.
      const app2 = await buildApp({ config: appConfig, logger: quietLogger, database: owner, redis });
      try {
        const refused = await app2.inject({ url: '/v1/watchlists', headers: { authorization: `Bearer ${seed.token}` } });
        expect(refused.statusCode).toBe(401);
        expect(refused.json().detail).toMatch(/expired/);
      } finally {
        await app2.close();
      }
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});
