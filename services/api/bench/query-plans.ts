// EXPLAIN ANALYZE of exactly the SQL a route runs: the real app is built in this process on a
// pool whose connections record every query they are given (text and parameters); one request
// is injected, and each statement on the alert tables is explained with its parameters. The SQL
// therefore cannot drift from the repository's, however the query builder composes it.
import type pg from 'pg';
import { loadConfig } from '@rendezvous/config';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../src/app.ts';

export interface CapturedQuery {
  text: string;
  values: unknown[];
}

export interface PlanSummary {
  sql: string;
  executionMs: number;
  planningMs: number;
  /** Top plan node, e.g. "Limit". */
  root: string;
  /** Every scan node: "Index Scan Backward using alerts_start_id on alerts", "Seq Scan on alerts"… */
  scans: string[];
  /** Rows read by the scans (actual rows + rows removed by filter), a measure of wasted work. */
  rowsScanned: number;
  rowsReturned: number;
  sharedHit: number;
  sharedRead: number;
}

/** The statements on alerts / alert_evidence one GET runs, in order, with their parameters. */
export async function captureQueries(env: NodeJS.ProcessEnv, path: string, token: string): Promise<{ status: number; queries: CapturedQuery[] }> {
  const config = loadConfig(env);
  const logger = createLogger({ level: 'error', format: 'json' }, 'api-bench');
  const database = createDatabase(config.db, logger);
  const redis = createRedis(config.redis, logger, 'producer');
  const queries: CapturedQuery[] = [];
  let recording = false;
  database.pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [first, second] = args;
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
      const values = Array.isArray(second) ? second : ((first as { values?: unknown[] } | undefined)?.values ?? []);
      if (recording && text && /\b(alerts|alert_evidence|alert_triage_history)\b/.test(text)) queries.push({ text, values });
      return query(...args);
    };
  });
  const app = await buildApp({ config, logger, database, redis });
  try {
    // One request first so the token is verified and cached and the change feed has started:
    // another URL, since a repeat of the same one is answered from the ETag cache without SQL.
    await app.inject({ method: 'GET', url: '/v1/alerts?limit=1', headers: { authorization: `Bearer ${token}` } });
    recording = true;
    const res = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
    recording = false;
    return { status: res.statusCode, queries };
  } finally {
    await app.close();
    redis.disconnect();
    await database.close();
  }
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Scan Direction'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of one captured statement, boiled down to what shows a slow plan. */
export async function explain(client: pg.Client, q: CapturedQuery): Promise<PlanSummary> {
  const res = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`,
    q.values,
  );
  const top = res.rows[0]!['QUERY PLAN'][0];
  const scans: string[] = [];
  let rowsScanned = 0;
  const walk = (n: PlanNode) => {
    if (/Scan/.test(n['Node Type']) && n['Relation Name']) {
      const backward = n['Scan Direction'] === 'Backward' ? ' Backward' : '';
      scans.push(`${n['Node Type']}${backward}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} on ${n['Relation Name']}`);
      const loops = n['Actual Loops'] ?? 1;
      rowsScanned += ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * loops;
    }
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(top.Plan);
  return {
    sql: q.text.replace(/\s+/g, ' ').slice(0, 160),
    executionMs: top['Execution Time'],
    planningMs: top['Planning Time'],
    root: top.Plan['Node Type'],
    scans,
    rowsScanned,
    rowsReturned: top.Plan['Actual Rows'] ?? 0,
    sharedHit: top.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: top.Plan['Shared Read Blocks'] ?? 0,
  };
}
