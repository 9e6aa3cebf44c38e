import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of processes from /proc (Linux), to say which process a benchmark's throughput is spent
 * in: user + system ticks of one pid, or of every process with a given command name (PostgreSQL's
 * backends, WAL writer, checkpointer...). A process that exits between two readings takes its ticks
 * with it, so read while the connections of interest are open.
 */
const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
  } catch {
    return 0; // gone
  }
}

function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return pids;
}

/** CPU milliseconds used so far by the pid, or by every process named `name`. */
export function cpuMs(target: { pid: number } | { name: string }): number {
  const pids = 'pid' in target ? [target.pid] : pidsNamed(target.name);
  return (pids.reduce((sum, pid) => sum + ticksOf(pid), 0) * 1000) / TICKS_PER_SECOND;
}
