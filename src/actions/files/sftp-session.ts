import type { Client, SFTPWrapper } from 'ssh2';
import type * as Ssh2 from 'ssh2';
import { lazyModule } from '../lazy-module.js';

const ssh2 = lazyModule<typeof Ssh2>('ssh2');
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { withSecretsMasked } from '../communication/secrets.js';
import type { ActionContext } from '../define-action.js';
import { connectError, resolveSshTarget, type SshTarget } from '../infrastructure/ssh-exec.js';
import { fingerprint, hostKeyAccepted } from '../infrastructure/ssh-host-keys.js';
import { watchStop } from '../process/stop-watch.js';

/**
 * An SFTP session over the `ssh_key` credential, connected exactly as execute_command's SSH is: the
 * credential's host binding and the egress policy checked first, the address judged is the one
 * dialled, and only a pinned host key (host_key_fingerprint / known_hosts) accepted unless the
 * credential says accept_any_host_key, which every step using it logs.
 */
export async function withSftp<T>(
  ctx: Pick<ActionContext<unknown>, 'credentials' | 'services' | 'signal' | 'log'>,
  credentialId: string,
  timeoutMs: number,
  fn: (sftp: SFTPWrapper, target: SshTarget) => Promise<T>,
): Promise<T> {
  const target = await resolveSshTarget(ctx.credentials, ctx.services.egress, credentialId);
  if (target.hostKeys.acceptAny) {
    ctx.log.log('warn', `SSH credential ${credentialId} accepts any host key of ${target.host} (accept_any_host_key): the connection is open to a man in the middle`, { host: target.host });
  }
  return withSecretsMasked([target.privateKey, target.passphrase], async () => {
    const conn = new (ssh2().Client)();
    const watch = watchStop(timeoutMs, ctx.signal, () => conn.end());
    try {
      const sftp = await open(conn, target, timeoutMs);
      return await fn(sftp, target);
    } catch (err) {
      if (watch.timedOut) throw new RetryableError('timeout', `SFTP with ${target.host} timed out after ${Math.round(timeoutMs / 1000)}s`);
      if (watch.aborted) throw new ItwError('cancelled', 'SFTP transfer cancelled');
      throw err;
    } finally {
      watch.clear();
      conn.end();
    }
  });
}

function open(conn: Client, target: SshTarget, timeoutMs: number): Promise<SFTPWrapper> {
  return new Promise<SFTPWrapper>((resolve, reject) => {
    let seenKey: string | undefined;
    conn.on('error', (err: Error & { level?: string }) => reject(connectError(err, target, seenKey)));
    conn.on('close', () => reject(new RetryableError('ssh_connection_lost', `SSH connection to ${target.host} closed`)));
    conn.on('ready', () => {
      conn.sftp((err, sftp) => {
        if (err) reject(new NonRetryableError('sftp_unavailable', `${target.host} refused the SFTP subsystem: ${err.message}`));
        else resolve(sftp);
      });
    });
    try {
      conn.connect({
        host: target.address ?? target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        ...(target.passphrase ? { passphrase: target.passphrase } : {}),
        readyTimeout: Math.min(timeoutMs, 20_000),
        hostVerifier: (key: Buffer) => {
          seenKey = fingerprint(key);
          return hostKeyAccepted(target.hostKeys, seenKey);
        },
      });
    } catch (err) {
      reject(connectError(err as Error, target, seenKey));
    }
  });
}

// SFTP v3 status codes (draft-ietf-secsh-filexfer-02 §7).
const STATUS: Readonly<Record<number, string>> = { 2: 'sftp_no_such_file', 3: 'sftp_permission_denied' };

/** The step error for a failed SFTP request: the server's status, the path, never a key. */
export function sftpError(err: unknown, what: string, path: string): ItwError {
  if (err instanceof ItwError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const named = typeof code === 'number' ? STATUS[code] : undefined;
  return new NonRetryableError(named ?? 'sftp_failed', `cannot ${what} ${path}: ${message}`, { details: { path, ...(typeof code === 'number' ? { sftp_status: code } : {}) } });
}

/** Promise form of an SFTP callback request. */
export function call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}
