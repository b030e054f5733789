// Probe (hand-run): a fresh process's first 24 h job on the detector bench's data (run the bench
// with --keep first), as the bench's child runs it (prepare, warm-up, then the job), then the same
// job again warm. Prints per job: wall ms, this process's CPU ms, and the CPU ms of this process's
// PostgreSQL backends (/proc/<pid>/schedstat; the pool's connections, found in pg_stat_activity),
// with the system CPU of both and the backends' minor page faults (/proc/<pid>/stat).
//   DATABASE_URL=…/rendezvous_bench_detector node services/detector/bench/probes/first-job.ts [fromMs] [jobs]
import { readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadSanctioned, sanctionedPortEntries } from '@rendezvous/geography';
import { createPortLookup } from '@rendezvous/detection';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createWindowDetector, type WindowTimings } from '../../src/window-detector.ts';

const from = Number(process.argv[2] ?? Date.UTC(2024, 2, 10));
const jobs = Number(process.argv[3] ?? 2);
const logger = createLogger({ level: 'warn', format: 'json' }, 'probe');
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 4, jit: false }, logger); // as the detector service's
const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
const sanctionedPorts = sanctionedPortEntries({ countries: ['PRK'], portsFile: null, areasFile: null });
const timings: WindowTimings = { loadMs: 0, loadEndAt: 0, evidenceStartAt: 0, rawVessels: 0, evidenceMs: 0 };
const detector = createWindowDetector(database, logger, { timings, portCalls: createPortLookup(sanctionedPorts), sanctioned, knownPorts: sanctionedPorts });
await detector.prepareConnections();
let w = await detector.warmUp();
// PROBE_WARMUPS=<n>: run the warm-up n times (default 1, as the service).
for (let k = 1; k < Number(process.env['PROBE_WARMUPS'] ?? 1); k++) w = await detector.warmUp();
const monitor = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 1 }, logger);
const myPid = (await monitor.pool.query('SELECT pg_backend_pid() AS p')).rows[0].p;
/** This database's backends other than the monitor's own (the detector pool's connections). */
async function backendPids(): Promise<number[]> {
  return (await monitor.pool.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1', [myPid])).rows.map((r) => r.pid as number);
}
async function backendCpu(): Promise<Map<number, number>> {
  const pids = await backendPids();
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => null);
    if (s) out.set(pid, Number(s.split(' ')[0]) / 1e6);
  }
  return out;
}
/** The backends' system CPU ms and minor page faults (/proc/<pid>/stat), summed. */
async function backendSys(): Promise<{ sysMs: number; faults: number }> {
  const pids = await backendPids();
  let sysMs = 0;
  let faults = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (f.length < 13) continue;
    faults += Number(f[7]);
    sysMs += Number(f[12]) * 10;
  }
  return { sysMs, faults };
}
console.log(`warm-up ${Math.round(w.ms)} ms`);
/** CPU ms of this process's threads by name (/proc/self/task): the main thread, V8's workers (compilers, GC), libuv's pool. */
async function threadsCpu(): Promise<Map<string, number>> {
  const { readdir } = await import('node:fs/promises');
  const out = new Map<string, number>();
  for (const tid of await readdir('/proc/self/task')) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const name = tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    out.set(name, (out.get(name) ?? 0) + ((Number(f[11]) + Number(f[12])) * 1000) / 100);
  }
  return out;
}
// PROBE_PROFILE=<dir>: a CPU profile of each job alone (job-<n>.cpuprofile), sampled every 100 µs.
const profileDir = process.env['PROBE_PROFILE'];
const session = profileDir ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}
for (let j = 0; j < jobs; j++) {
  await database.pool.query('TRUNCATE alerts, alert_evidence CASCADE');
  const pg0 = await backendCpu();
  const sys0 = await backendSys();
  const th0 = await threadsCpu();
  const cpu0 = process.cpuUsage();
  if (session) await session.post('Profiler.start');
  // PROBE_HEAP=<dir>: a sampling profile of every allocation of the job (collected or not).
  const heapDir = process.env['PROBE_HEAP'];
  const heap = heapDir ? new Session() : null;
  if (heap) {
    heap.connect();
    await heap.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  const t0 = performance.now();
  const s = await detector.run({ from: new Date(from), to: new Date(from + 24 * 3_600_000) });
  const wall = performance.now() - t0;
  if (session) await writeFile(`${profileDir}/job-${j + 1}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
  if (heap) {
    await writeFile(`${heapDir}/job-${j + 1}.heapprofile`, JSON.stringify((await heap.post('HeapProfiler.stopSampling')).profile));
    heap.disconnect();
  }
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await backendCpu();
  const sys1 = await backendSys();
  const th1 = await threadsCpu();
  const threads = [...th1].map(([k, v]) => [k, v - (th0.get(k) ?? 0)] as const).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  let pgMs = 0;
  for (const [pid, ms] of pg1) pgMs += ms - (pg0.get(pid) ?? 0);
  console.log(
    `job ${j + 1}: wall ${Math.round(wall)} ms, node CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms (sys ${Math.round(cpu.system / 1000)}; threads: ${threads}), PG backends CPU ${Math.round(pgMs)} ms (${pg1.size} backends; sys ${sys1.sysMs - sys0.sysMs} ms, ${sys1.faults - sys0.faults} minor faults); load ${Math.round(timings.loadMs)} ms, evidence ${Math.round(timings.evidenceMs)} ms, anomalies ${Math.round(timings.anomaliesMs ?? 0)} ms; ${s.created} alerts`,
  );
}
await monitor.close();
await database.close();
