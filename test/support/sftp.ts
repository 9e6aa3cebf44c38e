// Test support for the SFTP actions: the ssh_key credential for test/support/sshd.ts, and services
// whose sandbox opens one directory to workflows (ITW_SANDBOX_PATHS) with the data dir inside it.
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { stepSandbox } from '../../src/actions/process/sandbox-policy.js';
import type { ResolvedCredential } from '../../src/model/credentials.js';
import { testServices } from './loopback-egress.js';
import type { Sshd } from './sshd.js';

export function sshCredential(sshd: Sshd, id = 'ssh', extra: Record<string, string> = {}, allowedHosts?: string[]): ResolvedCredential {
  return {
    id, type: 'ssh_key',
    data: { host: '127.0.0.1', port: String(sshd.port), username: userInfo().username, private_key: sshd.clientKey, passphrase: 'key-pass', host_key_fingerprint: sshd.hostFingerprint, ...extra },
    ...(allowedHosts ? { allowed_hosts: allowedHosts } : {}),
  };
}

/** Services whose sandbox opens `open` to workflows; the server's data dir is `open/data`. */
export function servicesWithOpenDir(open: string) {
  const dataDir = join(open, 'data');
  mkdirSync(dataDir, { recursive: true });
  const refusals: Array<{ code: string; message: string }> = [];
  const sandbox = stepSandbox({ paths: [open], dataDir }, { egressGuarded: true, onRefusal: (r) => refusals.push(r) });
  return { services: testServices({ sandbox }), dataDir, refusals };
}
