/**
 * CPU time of processes on this host, read from Linux /proc, for benchmarks that print CPU per
 * unit of work (less moved by other load on a shared machine than wall time). Every reader
 * answers null where /proc is not readable (another OS, a remote server).
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

let ticksPerSecond: number | undefined;
const ticks = () => (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);

/** Fields after the command name of /proc/<pid>/stat (f[0] is field 3, state), or null. */
async function statFields(pid: number | string): Promise<{ name: string; f: string[] } | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  return { name: stat.slice(stat.indexOf('(') + 1, close), f: stat.slice(close + 2).split(' ') };
}

/** User + system CPU milliseconds one live process has used so far, or null. */
export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const s = await statFields(pid);
    return s ? ((Number(s.f[11]) + Number(s.f[12])) * 1000) / ticks() : null; // utime, stime
  } catch {
    return null;
  }
}

/**
 * User + system CPU milliseconds of each of these live processes so far (absent: gone or not
 * readable). With the server PIDs of a benchmark's connections (pg_stat_activity), this is the
 * CPU PostgreSQL spent on that benchmark alone, whatever else the server is doing.
 */
export async function processesCpuMs(pids: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const ms = await processCpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

/**
 * CPU milliseconds PostgreSQL's processes on this host have used so far: every live server
 * process's user + system time, plus the postmaster's reaped children's (backends that have
 * exited, such as a finished child process's connections). Null when no postmaster is visible.
 */
export async function postgresCpuMs(): Promise<number | null> {
  try {
    let total = 0;
    let postmaster = false;
    for (const pid of (await readdir('/proc')).filter((d) => /^[0-9]+$/.test(d))) {
      const s = await statFields(pid);
      if (!s || !/^(postgres|postmaster)$/.test(s.name)) continue;
      total += Number(s.f[11]) + Number(s.f[12]); // utime, stime
      // The postmaster's parent is not a postgres process: count its reaped children too.
      const parent = await statFields(Number(s.f[1]));
      if (!parent || !/^(postgres|postmaster)$/.test(parent.name)) {
        total += Number(s.f[13]) + Number(s.f[14]); // cutime, cstime
        postmaster = true;
      }
    }
    return postmaster ? (total * 1000) / ticks() : null;
  } catch {
    return null;
  }
}
