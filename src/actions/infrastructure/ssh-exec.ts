import { watchStop } from '../process/stop-watch.js';
import type { ClientChannel } from 'ssh2';
import type { CredentialResolver } from '../../model/credentials.js';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { bindingOf, checkCredentialHost } from '../http/credential-binding.js';
import type { EgressGuard } from '../http/egress-guard.js';
import { CappedOutput } from '../process/capped-output.js';
import { DEFAULT_MAX_OUTPUT_BYTES, type ProcessResult } from '../process/run-process.js';
import type { StepOutput } from '../../engine/live-output.js';
import { fingerprint, hostKeyAccepted, hostKeyPolicy, type HostKeyPolicy } from './ssh-host-keys.js';

export { fingerprint } from './ssh-host-keys.js';

/** An `ssh_key` credential: `{host, port?, username, private_key, passphrase?, host_key_fingerprint?, known_hosts?, accept_any_host_key?}`. */
export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  readonly passphrase?: string;
  /** The host keys accepted (ssh-host-keys.ts): only known ones unless the credential opts out. */
  readonly hostKeys: HostKeyPolicy;
  /** The address the egress policy checked; the connection goes there, not to a fresh lookup of `host`. */
  readonly address?: string;
}

/**
 * The connection an `ssh_key` credential describes; `at` (an inventory host's address and port)
 * replaces the credential's own host, which must then be one the credential is bound to as well.
 */
export async function resolveSshTarget(credentials: CredentialResolver, egress: EgressGuard, id: string, at?: { host: string; port: number }): Promise<SshTarget> {
  const cred = await credentials.get(id, ['ssh_key']);
  const { data } = cred;
  const host = at?.host ?? data['host'];
  const { username, private_key: privateKey } = data;
  if (!host || !username || !privateKey) {
    throw new NonRetryableError('invalid_credential', `ssh_key credential ${id} needs host, username and private_key`);
  }
  const port = at?.port ?? Number(data['port'] ?? 22);
  checkCredentialHost(bindingOf(cred), host, port, 'ssh', egress);
  return {
    host,
    port,
    address: await egress.resolve(host, 'ssh'),
    username,
    privateKey,
    ...(data['passphrase'] ? { passphrase: data['passphrase'] } : {}),
    hostKeys: hostKeyPolicy(data, host, port),
  };
}

/** POSIX single-quoting: the remote shell sees each argument literally. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The line the remote login shell runs: `cd dir && K=V argv…` (or the user's shell string), under
 * coreutils `timeout` when the host has it. Why: OpenSSH refuses "signal" channel requests for root
 * sessions (no privilege separation there), so a remote `timeout`, one second after ours, is what
 * reliably kills the remote process group when the step times out.
 */
export function remoteCommandLine(
  command: readonly string[] | string,
  opts: { cwd?: string | undefined; env?: Readonly<Record<string, string>> | undefined; timeoutSeconds: number },
): string {
  const envPrefix = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `).join('');
  const main = typeof command === 'string' ? `${envPrefix}/bin/sh -c ${shellQuote(command)}` : `${envPrefix}${command.map(shellQuote).join(' ')}`;
  const inner = shellQuote(opts.cwd ? `cd ${shellQuote(opts.cwd)} && ${main}` : main);
  const limit = Math.ceil(opts.timeoutSeconds) + 1;
  return `if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 ${limit} /bin/sh -c ${inner}; else exec /bin/sh -c ${inner}; fi`;
}

// Covers the remote `timeout`, which fires one second after ours.
const KILL_GRACE_MS = 3000;

export interface RemoteRunOptions {
  readonly commandLine: string;
  readonly stdin?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly maxOutputBytes?: number;
  /** Also handed every chunk as it arrives (a step's live view). */
  readonly output?: StepOutput;
}

export function connectError(err: Error & { level?: string }, target: SshTarget, seenKey: string | undefined): ItwError {
  const where = `${target.username}@${target.host}:${target.port}`;
  if (err.level === 'client-authentication') return new NonRetryableError('ssh_auth_failed', `SSH authentication to ${where} failed`);
  if (seenKey !== undefined && !hostKeyAccepted(target.hostKeys, seenKey)) {
    const details = { host: target.host, port: target.port, fingerprint: seenKey };
    if (target.hostKeys.fingerprints.length === 0) {
      return new NonRetryableError('ssh_host_key_unknown',
        `host key of ${target.host}:${target.port} is not known: it presented ${seenKey}. Check it out of band (ssh-keygen -lf on the host) and pin it in the credential's host_key_fingerprint or known_hosts`,
        { details });
    }
    return new NonRetryableError('ssh_host_key_mismatch', `host key of ${target.host}:${target.port} (${seenKey}) is not one the credential pins`, { details });
  }
  if (/private key|passphrase|parse/i.test(err.message)) return new NonRetryableError('invalid_credential', `cannot use the SSH private key: ${err.message}`);
  return new RetryableError('ssh_connect_failed', `cannot connect to ${where}: ${err.message}`);
}

/**
 * Runs one command over SSH with the same result shape as a local process. On timeout or abort the
 * remote process group gets SIGKILL through the channel (OpenSSH ≥ 7.9, non-root sessions) and the
 * connection is closed once the channel ends or after a grace period. A timeout is also enforced
 * on the host (see remoteCommandLine); a cancelled root session's command may keep running.
 */
export async function runRemote(target: SshTarget, opts: RemoteRunOptions): Promise<ProcessResult> {
  // ssh2 is loaded at the first remote command, not at start (issue 14, idle RSS).
  const { Client } = await import('ssh2');
  const half = Math.floor((opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES) / 2);
  const stdout = new CappedOutput(half, half);
  const stderr = new CappedOutput(half, half);
  const conn = new Client();
  const started = performance.now();

  return new Promise<ProcessResult>((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    let endTimer: NodeJS.Timeout | undefined;
    // The signal request needs the connection; it is closed once the channel reports the end,
    // or after a grace period if the server ignores the request.
    const stop = () => {
      if (!channel) {
        conn.end();
        return;
      }
      channel.signal('KILL');
      endTimer ??= setTimeout(() => conn.end(), KILL_GRACE_MS);
    };
    const watch = watchStop(opts.timeoutMs, opts.signal, stop);
    const finish = () => {
      watch.clear();
      clearTimeout(endTimer);
      conn.end();
    };
    const result = (): ProcessResult => ({
      exitCode: exit.code,
      signal: exit.signal,
      stdout: stdout.text(),
      stderr: stderr.text(),
      durationMs: Math.round(performance.now() - started),
      truncated: stdout.truncated || stderr.truncated,
      timedOut: watch.timedOut,
      aborted: watch.aborted,
    });

    conn.on('error', (err: Error & { level?: string }) => {
      finish();
      if (channel && (watch.timedOut || watch.aborted)) resolve(result());
      else if (watch.timedOut) reject(new RetryableError('timeout', `SSH connection to ${target.host} timed out`));
      else reject(connectError(err, target, seenKey));
    });
    // Normally the channel's own 'close' has settled the promise by now (later calls are no-ops);
    // otherwise the connection ended first: during the handshake, or dropped mid-command.
    conn.on('close', () => {
      finish();
      if (watch.aborted && !channel) reject(new ItwError('cancelled', 'SSH command cancelled before it started'));
      else if (watch.timedOut && !channel) reject(new RetryableError('timeout', `SSH connection to ${target.host} timed out`));
      else if (watch.timedOut || watch.aborted) resolve(result());
      else reject(new RetryableError('ssh_connection_lost', `SSH connection to ${target.host} closed before the command finished`));
    });
    conn.on('ready', () => {
      conn.exec(opts.commandLine, (err, stream) => {
        if (err) {
          finish();
          reject(new RetryableError('ssh_exec_failed', `cannot start the command over SSH: ${err.message}`));
          return;
        }
        channel = stream;
        stream.on('data', (c: Buffer) => {
          stdout.push(c);
          opts.output?.write('stdout', c);
        });
        stream.stderr.on('data', (c: Buffer) => {
          stderr.push(c);
          opts.output?.write('stderr', c);
        });
        stream.on('exit', (code: number | null, signal?: string) => {
          exit = { code: typeof code === 'number' ? code : null, signal: signal ? (`SIG${signal}` as NodeJS.Signals) : null };
        });
        stream.on('close', () => {
          finish();
          resolve(result());
        });
        stream.end(opts.stdin);
      });
    });
    let seenKey: string | undefined;
    try {
      conn.connect({
        host: target.address ?? target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        ...(target.passphrase ? { passphrase: target.passphrase } : {}),
        readyTimeout: Math.min(opts.timeoutMs, 20_000),
        hostVerifier: (key: Buffer) => {
          seenKey = fingerprint(key);
          return hostKeyAccepted(target.hostKeys, seenKey);
        },
      });
    } catch (err) {
      // Key parsing errors are thrown synchronously by connect().
      finish();
      reject(connectError(err as Error, target, seenKey));
    }
  });
}
