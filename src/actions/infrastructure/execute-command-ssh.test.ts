import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CredentialResolver } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { startSshd, type Sshd } from '../../../test/support/sshd.js';
import { executeCommandAction } from './execute-command-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

// A real OpenSSH server on loopback (test/support/sshd.ts); its host key is pinned in the credential.
let sshd: Sshd;
let dir = '';
let port = 0;
let clientKey = '';
let otherKey = '';
let hostFingerprint = '';

beforeAll(async () => {
  sshd = await startSshd();
  ({ dir, port, clientKey, otherKey, hostFingerprint } = sshd);
});

afterAll(() => sshd?.close());

function credentials(data: Record<string, string>): CredentialResolver {
  return {
    get: (id, types) => {
      expect(types).toEqual(['ssh_key']);
      return Promise.resolve({ id, type: 'ssh_key', data });
    },
  };
}

type Params = Parameters<typeof executeCommandAction.run>[0]['params'];
function ctx(params: Params, data: Record<string, string> = {}) {
  const creds = { host: '127.0.0.1', port: String(port), username: userInfo().username, private_key: clientKey, passphrase: 'key-pass', host_key_fingerprint: hostFingerprint, ...data };
  return { params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: credentials(creds), services: testServices() };
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

describe('execute_command over SSH (real sshd on loopback)', () => {
  it('runs argv remotely with cwd, env and stdin, arguments kept literal', async () => {
    const out = await executeCommandAction.run(
      ctx({ command: ['sh', '-c', 'pwd; echo "$GREETING"; cat; printf "%s" "$1" >&2', 'sh', "it's; $HOME"], cwd: '/tmp', env: { GREETING: 'hello there' }, stdin: 'piped', ssh_credential_id: 'c1' }, { host_key_fingerprint: hostFingerprint }),
    );
    expect(out).toMatchObject({ exit_code: 0, signal: null, stdout: '/tmp\nhello there\npiped', stderr: "it's; $HOME", truncated: false });
  });

  it('runs a shell string and fails on a non-zero exit', async () => {
    const run = executeCommandAction.run(ctx({ command: 'echo out; echo oops >&2; exit 4', shell: true, ssh_credential_id: 'c1' }));
    await expect(run).rejects.toBeInstanceOf(NonRetryableError);
    await expect(run).rejects.toMatchObject({ code: 'command_failed', details: { exit_code: 4, stderr_tail: 'oops\n' } });
  });

  it('kills the remote command at the timeout', async () => {
    const pidFile = join(dir, 'remote.pid');
    // 3 s: the timeout counts the SSH handshake too, which a loaded 2-core box can stretch past 1 s
    // before the remote shell has written its pid (seen with the suite's two workers and a build beside it).
    const run = executeCommandAction.run(ctx({ command: ['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], timeout_seconds: 3, ssh_credential_id: 'c1' }));
    await expect(run).rejects.toBeInstanceOf(RetryableError);
    await expect(run).rejects.toMatchObject({ code: 'timeout' });
    // The remote kill is delivered by the host, not to our child: poll until the kernel reports it gone.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await vi.waitFor(() => expect(isAlive(pid)).toBe(false), { timeout: 3000 });
  });

  it('refuses a key the server does not know, and a host key that does not match', async () => {
    const wrongKey = executeCommandAction.run(ctx({ command: ['true'], ssh_credential_id: 'c1' }, { private_key: otherKey, passphrase: '' }));
    await expect(wrongKey).rejects.toMatchObject({ code: 'ssh_auth_failed', retryable: false });
    const wrongHost = executeCommandAction.run(ctx({ command: ['true'], ssh_credential_id: 'c1' }, { host_key_fingerprint: 'SHA256:AAAA' }));
    await expect(wrongHost).rejects.toMatchObject({ code: 'ssh_host_key_mismatch', retryable: false });
  });
});
