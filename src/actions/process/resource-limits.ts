import { accessSync, constants } from 'node:fs';
import { NonRetryableError } from '../../model/errors.js';

/**
 * Kernel resource limits (setrlimit) for a user's process.
 *
 * Why prlimit(1) rather than `sh -c 'ulimit …; exec …'`: it takes the command as argv (no shell
 * quoting of user input) and execs it in place, so the limited process keeps the pid we spawned
 * and the process-group kill still reaches it. Limits are inherited by every child.
 *
 * What they do and do not cover: RLIMIT_CPU counts CPU seconds (a busy loop on 4 threads uses them
 * 4× faster than the wall clock); RLIMIT_AS caps virtual address space, which is stricter than
 * resident memory: runtimes that reserve address space up front (V8 reserves ~600 MB before running
 * any JS) need headroom on top of what the user asked for (see run-script-action.ts).
 * cgroups (memory.max) would bound resident memory exactly but need a delegated cgroup tree,
 * which a self-hosted install cannot assume.
 */
export interface ResourceLimits {
  /** CPU seconds before SIGXCPU (SIGKILL one second later). */
  readonly cpuSeconds?: number;
  /** Address-space bytes; allocations beyond fail (MemoryError, ENOMEM, V8 OOM abort). */
  readonly memoryBytes?: number;
  /** RLIMIT_NPROC: processes (threads count too) of the process's real user, all of them together. */
  readonly processes?: number;
}

const PRLIMIT_CANDIDATES = ['/usr/bin/prlimit', '/bin/prlimit', '/usr/local/bin/prlimit'];
// A machine fact, not configuration: written once by the first probe, immutable after, the same for every app.
let prlimitPath: string | null | undefined;

function findPrlimit(): string | null {
  if (prlimitPath === undefined) {
    prlimitPath =
      PRLIMIT_CANDIDATES.find((p) => {
        try {
          accessSync(p, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }) ?? null;
  }
  return prlimitPath;
}

/** `argv` run under the limits; unchanged when there are none. Missing prlimit is a hard error, not a silent "unlimited". */
export function withLimits(argv: readonly string[], limits: ResourceLimits | undefined): string[] {
  const flags: string[] = [];
  if (limits?.cpuSeconds !== undefined) {
    const soft = Math.max(1, Math.ceil(limits.cpuSeconds));
    flags.push(`--cpu=${soft}:${soft + 1}`);
  }
  if (limits?.memoryBytes !== undefined) {
    const bytes = Math.floor(limits.memoryBytes);
    flags.push(`--as=${bytes}:${bytes}`);
  }
  if (limits?.processes !== undefined) {
    const n = Math.max(1, Math.floor(limits.processes));
    flags.push(`--nproc=${n}:${n}`);
  }
  if (flags.length === 0) return [...argv];
  const prlimit = findPrlimit();
  if (prlimit === null) {
    throw new NonRetryableError('limits_unavailable', 'prlimit (util-linux) is required to run scripts with resource limits but was not found');
  }
  return [prlimit, ...flags, '--', ...argv];
}
