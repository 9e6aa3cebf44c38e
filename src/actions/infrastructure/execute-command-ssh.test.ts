import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CredentialResolver } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { executeCommandAction } from './execute-command-action.js';

// A real OpenSSH server on loopback, with generated host and client keys. Needs root (sshd's
// privilege separation) and openssh-server, which .ci/run installs; without them the suite fails
// and says so rather than passing silently.
const SSHD = '/usr/sbin/sshd';
const canRun = existsSync(SSHD) && process.getuid?.() === 0;

const dir = mkdtempSync(join(tmpdir(), 'itw-sshd-'));
let sshd: ChildProcess | undefined;
let port = 0;
let clientKey = '';
let otherKey = '';
let hostFingerprint = '';

function keygen(name: string, passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', join(dir, name)]);
  return readFileSync(join(dir, name), 'utf8');
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return p;
}

beforeAll(async () => {
  if (!canRun) throw new Error(`the SSH tests need ${SSHD} (apt-get install openssh-server) and root`);
  keygen('host');
  clientKey = keygen('client', 'key-pass');
  otherKey = keygen('other');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')), { mode: 0o600 });
  hostFingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'host.pub')], { encoding: 'utf8' }).split(' ')[1] ?? '';
  port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const proc = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd = proc;
  await new Promise<void>((resolve, reject) => {
    let log = '';
    proc.stderr?.on('data', (c: Buffer) => {
      log += String(c);
      if (log.includes('Server listening')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`sshd exited ${code}: ${log}`)));
  });
});

afterAll(() => {
  sshd?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

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
  const creds = { host: '127.0.0.1', port: String(port), username: userInfo().username, private_key: clientKey, passphrase: 'key-pass', ...data };
  return { params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: credentials(creds) };
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
    const run = executeCommandAction.run(ctx({ command: ['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], timeout_seconds: 1, ssh_credential_id: 'c1' }));
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
