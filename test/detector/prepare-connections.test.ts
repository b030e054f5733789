// The detector readies its connections before its first job (window-detector.ts
// prepareConnections, issue 16): every connection of the pool is opened, and each backend has
// PostGIS loaded and the tables a run uses planned once, so the first job does not pay for it.
// Checked here: the connections are open before any job, and a job's concurrent statements get
// them rather than new ones.
import { afterAll, describe, expect, it } from 'vitest';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, quietLogger } from '../support/harness.ts';

const database = openTestDatabase();
afterAll(() => database.close());

describe('detector connections', () => {
  it('opens every connection of the pool before the first job and leaves them idle for it', async () => {
    const detector = createWindowDetector(database, quietLogger, { darkActivity: false });
    expect(database.pool.totalCount).toBe(0);
    await detector.prepareConnections();
    const max = database.pool.options.max;
    expect(max).toBeGreaterThan(1);
    expect(database.pool.totalCount).toBe(max);
    expect(database.pool.idleCount).toBe(max);
    // A job's concurrent statements get those backends: no connection is opened for them.
    const clients = await Promise.all(Array.from({ length: max }, () => database.pool.connect()));
    try {
      const pids = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
      expect(new Set(pids).size).toBe(max);
      expect(database.pool.totalCount).toBe(max);
    } finally {
      for (const c of clients) c.release();
    }
  });
});
