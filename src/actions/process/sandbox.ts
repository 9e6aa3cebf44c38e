import { chownSync, existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { NonRetryableError } from '../../model/errors.js';
import { noNetworkPrefix } from './network-sandbox.js';
import { closedDirectoryOn } from './node-visibility.js';
import { withLimits, type ResourceLimits } from './resource-limits.js';
import { SANDBOX_UID, probeSandbox, userPrefix } from './sandbox-probe.js';
import type { StepSandbox } from './sandbox-policy.js';

/** What a step asks of its sandbox. */
export interface SandboxRequest {
  /** The step asked for network (allow_network); see SandboxPolicy.network for when it gets it. */
  readonly network: boolean;
  /** A private dir the caller made for this run: visible read-write at the same path, owned by the sandbox user. */
  readonly workDir?: string;
  /** The step's idempotency key, for the audit record of a refusal. */
  readonly step?: string;
  /** The app's sandbox policy and refusal sink (ActionServices.sandbox). */
  readonly service: StepSandbox;
}

export interface SandboxedCommand {
  readonly argv: string[];
  /** Where to spawn from outside (the sandbox changes directory itself). */
  readonly cwd: string | undefined;
  readonly env: Record<string, string>;
  /** False only when ITW_UNSANDBOXED_STEPS let the step run without one. */
  readonly sandboxed: boolean;
}

/** A sandbox's whole process tree shares this many processes (threads count): a fork bomb stops here. */
export const SANDBOX_MAX_PROCESSES = 256;
/** PATH inside: system directories only (the server's PATH may point into /root or a home). */
const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SYSTEM_TOP = ['/bin', '/sbin', '/lib', '/lib32', '/lib64'];

function refuse(req: SandboxRequest, code: string, message: string): NonRetryableError {
  req.service.reportRefusal({ code, message, step: req.step });
  return new NonRetryableError(code, message);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** /bin, /lib... are symlinks into /usr on merged-/usr systems and real directories elsewhere. */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc'];
  for (const top of SYSTEM_TOP) {
    if (!existsSync(top)) continue;
    if (lstatSync(top).isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
    else args.push('--ro-bind', top, top);
  }
  // The server's own Node (script nodes run it) when it is not a system package and the sandbox user can reach it.
  const nodePrefix = dirname(dirname(real(process.execPath)));
  if (nodePrefix !== '/' && !inside(nodePrefix, '/usr') && closedDirectoryOn(real(process.execPath)) === undefined) {
    args.push('--ro-bind', nodePrefix, nodePrefix);
  }
  return args;
}

/** A step that runs the server's Node (script nodes) needs that Node where the sandbox user can read it. */
function checkNodeReachable(argv: readonly string[], req: SandboxRequest): void {
  if (argv[0] !== process.execPath) return;
  const closed = closedDirectoryOn(real(process.execPath));
  if (closed === undefined) return;
  throw refuse(
    req,
    'sandbox_unavailable',
    `this step runs Node (${process.execPath}), which the sandbox user cannot reach: ${closed} is closed to other users. ` +
      'Install Node where every user can read it (e.g. /usr/local), or allow others to enter that directory (chmod o+x)',
  );
}

/** The run's own dir (and what the caller put in it) belongs to the sandbox user, which may then write there. */
function handOver(dir: string): void {
  if (process.getuid?.() !== 0) return;
  chownSync(dir, SANDBOX_UID, SANDBOX_UID);
  for (const entry of readdirSync(dir)) chownSync(join(dir, entry), SANDBOX_UID, SANDBOX_UID);
}

function networkArgs(req: SandboxRequest): string[] {
  if (!req.network) return ['--unshare-net'];
  if (req.service.policy.network === 'host' || !req.service.egressGuarded) return [];
  throw refuse(
    req,
    'egress_unenforceable',
    'this step asks for network, but the egress guard cannot check the connections of code it does not run itself: ' +
      'turn the step\'s network off, or set ITW_SCRIPT_NETWORK=host to let such steps use the host network past the guard',
  );
}

/**
 * The command line that runs `argv` in a bubblewrap sandbox: as the unprivileged sandbox user, in
 * new user, PID, mount, IPC, UTS (and cgroup) namespaces, with no network unless allowed, private
 * /proc, /dev and /tmp, the system directories read-only, the work dir and configured paths
 * read-write, the data dir never, and only the environment given. `--die-with-parent` and the PID
 * namespace mean the whole tree (setsid'd daemons too) dies when the step's process ends or is killed.
 */
export function sandboxCommand(argv: readonly string[], opts: { cwd?: string | undefined; env?: Readonly<Record<string, string>> | undefined; limits?: ResourceLimits | undefined }, req: SandboxRequest): SandboxedCommand {
  const policy = req.service.policy;
  const probe = probeSandbox();
  if (!probe.ok) {
    if (!policy.unsandboxed) throw refuse(req, 'sandbox_unavailable', `cannot run this step in a sandbox: ${probe.reason} (or set ITW_UNSANDBOXED_STEPS=true to run steps without one)`);
    const prefix = req.network ? [] : noNetworkPrefix() ?? [];
    return { argv: [...prefix, ...withLimits(argv, opts.limits)], cwd: opts.cwd ?? req.workDir, env: { PATH: SANDBOX_PATH, ...opts.env }, sandboxed: false };
  }
  const dataDir = policy.dataDir === undefined ? undefined : real(policy.dataDir);
  const rw = [...policy.paths.map(real), ...(req.workDir ? [real(req.workDir)] : [])].filter((p) => dataDir === undefined || !inside(p, dataDir));
  // Without a work dir, the sandbox's private /tmp is the working and home directory.
  const home = req.workDir ? real(req.workDir) : '/tmp';
  const cwd = opts.cwd === undefined ? home : real(opts.cwd);
  if (opts.cwd !== undefined && !rw.some((p) => inside(cwd, p))) {
    throw refuse(req, 'sandbox_path_denied', `working directory ${opts.cwd ?? cwd} is not visible in the sandbox: list it (or a parent) in ITW_SANDBOX_PATHS`);
  }
  checkNodeReachable(argv, req);
  if (req.workDir) handOver(req.workDir);
  const env = { PATH: SANDBOX_PATH, HOME: home, ...opts.env };
  const args = [
    ...userPrefix(probe),
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', ...networkArgs(req),
    '--die-with-parent', '--new-session',
    '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
    ...systemBinds(),
    ...rw.flatMap((p) => ['--bind', p, p]),
    // The data dir below a bound path (or below /usr, /etc) is covered by an empty tmpfs.
    ...(dataDir !== undefined && [...rw, '/usr', '/etc'].some((p) => inside(dataDir, p)) ? ['--tmpfs', dataDir] : []),
    '--chdir', cwd,
    '--',
  ];
  return { argv: [...args, ...withLimits(argv, { ...opts.limits, processes: SANDBOX_MAX_PROCESSES })], cwd: '/', env, sandboxed: true };
}
