// Probe (hand-run): what the dark behaviours (AIS gaps, loitering, dark rendezvous) add to a 24 h
// job, by CPU as well as wall time: after the warm-up, alternating runs from empty alerts of the
// detector with and without them (as detector-child.ts does for the bench's wall-time figure),
// with the median wall ms, this process's CPU ms and its PostgreSQL backends' CPU ms of each.
//   DATABASE_URL=…/rendezvous_bench_detector node services/detector/bench/probes/dark-cost.ts [repeats]
import { readFile } from 'node:fs/promises';
import { loadSanctioned, sanctionedPortEntries } from '@rendezvous/geography';
import { createPortLookup } from '@rendezvous/detection';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createWindowDetector } from '../../src/window-detector.ts';

const from = Date.UTC(2024, 2, 10);
const repeats = Number(process.argv[2] ?? 9);
const logger = createLogger({ level: 'warn', format: 'json' }, 'probe');
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 4, jit: false }, logger); // as the detector service's
const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
const sanctionedPorts = sanctionedPortEntries({ countries: ['PRK'], portsFile: null, areasFile: null });
const service = { portCalls: createPortLookup(sanctionedPorts), sanctioned, knownPorts: sanctionedPorts };
const withDark = createWindowDetector(database, logger, service);
const withoutDark = createWindowDetector(database, logger, { darkActivity: false, ...service });
await withDark.prepareConnections();
await withDark.warmUp();
await withoutDark.warmUp();
const monitor = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 1 }, logger);
const myPid = (await monitor.pool.query('SELECT pg_backend_pid() AS p')).rows[0].p;
async function backendCpu(): Promise<number> {
  const pids = (await monitor.pool.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1', [myPid])).rows.map((r) => r.pid as number);
  let ms = 0;
  for (const pid of pids) {
    const s = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => null);
    if (s) ms += Number(s.split(' ')[0]) / 1e6;
  }
  return ms;
}
const runs: Record<'with' | 'without', { wall: number; cpu: number; pg: number }[]> = { with: [], without: [] };
for (let i = 0; i < repeats; i++) {
  for (const [name, d] of [['with', withDark], ['without', withoutDark]] as const) {
    await database.pool.query('TRUNCATE alerts, alert_evidence CASCADE');
    const pg0 = await backendCpu();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await d.run({ from: new Date(from), to: new Date(from + 24 * 3_600_000) });
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    runs[name].push({ wall, cpu: (c.user + c.system) / 1000, pg: (await backendCpu()) - pg0 });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const row = (k: 'wall' | 'cpu' | 'pg') => {
  const [w, wo] = [median(runs.with.map((r) => r[k])), median(runs.without.map((r) => r[k]))];
  return `${k} ${Math.round(w)} vs ${Math.round(wo)} ms (+${(((w - wo) / wo) * 100).toFixed(1)} %)`;
};
console.log(`dark behaviours, median of ${repeats} alternating runs, with vs without: ${row('wall')}; ${row('cpu')} detector CPU; ${row('pg')} PostgreSQL backends`);
await monitor.close();
await database.close();
