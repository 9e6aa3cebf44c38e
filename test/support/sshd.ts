// A real OpenSSH server on loopback with generated host and client keys, for the SSH tests. Needs
// root (sshd's privilege separation) and openssh-server, which .ci/run installs; without them the
// tests fail and say so rather than passing silently.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  readonly dir: string;
  readonly port: number;
  /** The client key (passphrase `key-pass`) the server authorizes. */
  readonly clientKey: string;
  /** A key the server does not authorize. */
  readonly otherKey: string;
  /** `SHA256:…` of the server's host key, as `ssh-keygen -lf` prints it. */
  readonly hostFingerprint: string;
  /** The host key's public line (`ssh-ed25519 AAAA… host`). */
  readonly hostPublicKey: string;
  close(): void;
}

export async function startSshd(): Promise<Sshd> {
  if (!existsSync(SSHD) || process.getuid?.() !== 0) throw new Error(`the SSH tests need ${SSHD} (apt-get install openssh-server) and root`);
  const dir = mkdtempSync(join(tmpdir(), 'itw-sshd-'));
  const keygen = (name: string, passphrase = ''): string => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', join(dir, name)]);
    return readFileSync(join(dir, name), 'utf8');
  };
  keygen('host');
  const clientKey = keygen('client', 'key-pass');
  const otherKey = keygen('other');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')), { mode: 0o600 });
  const hostFingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'host.pub')], { encoding: 'utf8' }).split(' ')[1] ?? '';
  const port = await freePort();
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
      'Subsystem sftp internal-sftp',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const proc = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    proc.stderr.on('data', (c: Buffer) => {
      log += String(c);
      if (log.includes('Server listening')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`sshd exited ${code}: ${log}`)));
  });
  return {
    dir, port, clientKey, otherKey, hostFingerprint,
    hostPublicKey: readFileSync(join(dir, 'host.pub'), 'utf8').trim(),
    close() {
      proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
