// Issue 11, finding 11 (SSH): a host key is accepted only when the credential knows it. Before the
// fix, a credential without host_key_fingerprint accepted any key, so a man in the middle got the
// command (and its stdin). Runs execute_command over SSH against a real sshd on loopback.
import { createHmac, randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommandAction } from '../../src/actions/infrastructure/execute-command-action.js';
import type { CredentialResolver } from '../../src/model/credentials.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import { testServices } from '../support/loopback-egress.js';

let sshd: Sshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(() => sshd?.close());

function run(extra: Record<string, string>, logs: Array<{ level: string; message: string }> = []) {
  const data = { host: '127.0.0.1', port: String(sshd.port), username: userInfo().username, private_key: sshd.clientKey, passphrase: 'key-pass', ...extra };
  const credentials: CredentialResolver = { get: (id) => Promise.resolve({ id, type: 'ssh_key', data }) };
  return executeCommandAction.run({
    params: { command: ['echo', 'ran'], ssh_credential_id: 'prod-host' },
    log: { log: (level, message) => logs.push({ level, message }) },
    signal: new AbortController().signal,
    idempotencyKey: 'e:n:0:1',
    credentials,
    services: testServices(),
  });
}

describe('SSH host keys (finding 11)', () => {
  it('a host whose key is not pinned is refused, and the error names the key it presented so it can be pinned', async () => {
    const err = await run({}).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ssh_host_key_unknown', retryable: false, details: { fingerprint: sshd.hostFingerprint } });
    expect((err as Error).message).toContain(sshd.hostFingerprint);
    expect((err as Error).message).toMatch(/host_key_fingerprint/);
  });

  it('a pinned fingerprint connects; a different pin is refused as a mismatch', async () => {
    await expect(run({ host_key_fingerprint: sshd.hostFingerprint })).resolves.toMatchObject({ exit_code: 0, stdout: 'ran\n' });
    await expect(run({ host_key_fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' })).rejects.toMatchObject({ code: 'ssh_host_key_mismatch' });
  });

  it('known_hosts lines pin the key, plain or hashed, for [host]:port', async () => {
    const [type, key] = sshd.hostPublicKey.split(' ');
    await expect(run({ known_hosts: `[127.0.0.1]:${sshd.port} ${type} ${key}` })).resolves.toMatchObject({ exit_code: 0 });
    const salt = randomBytes(20);
    const hashed = createHmac('sha1', salt).update(`[127.0.0.1]:${sshd.port}`).digest('base64');
    await expect(run({ known_hosts: `|1|${salt.toString('base64')}|${hashed} ${type} ${key}` })).resolves.toMatchObject({ exit_code: 0 });
    // A line for another host does not vouch for this one.
    await expect(run({ known_hosts: `[127.0.0.2]:${sshd.port} ${type} ${key}` })).rejects.toMatchObject({ code: 'ssh_host_key_unknown' });
  });

  it('accept_any_host_key: true is an explicit opt-out, logged by the step', async () => {
    const logs: Array<{ level: string; message: string }> = [];
    await expect(run({ accept_any_host_key: 'true' }, logs)).resolves.toMatchObject({ exit_code: 0 });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/accepts any host key of 127\.0\.0\.1/) }));
  });
});
