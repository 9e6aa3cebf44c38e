import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedServices } from '../../../test/support/brokers.js';
import { servicesWithOpenDir, sshCredential } from '../../../test/support/sftp.js';
import { startSshd, type Sshd } from '../../../test/support/sshd.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import type { ActionServices } from '../define-action.js';
import { testContext } from '../communication/test-context.js';
import { sftpUploadAction } from './sftp-upload-action.js';

type Params = Parameters<typeof sftpUploadAction.run>[0]['params'];

let sshd: Sshd;
let creds: ResolvedCredential[];
let remote: string;
let open: string;
let opened: ReturnType<typeof servicesWithOpenDir>;

beforeAll(async () => {
  sshd = await startSshd();
  remote = mkdtempSync(join(tmpdir(), 'itw-sftp-remote-'));
  open = mkdtempSync(join(tmpdir(), 'itw-sftp-open-'));
  opened = servicesWithOpenDir(open);
  creds = [
    sshCredential(sshd),
    sshCredential(sshd, 'unpinned', { host_key_fingerprint: '' }),
    sshCredential(sshd, 'other-key', { private_key: sshd.otherKey, passphrase: '' }),
    sshCredential(sshd, 'bound-elsewhere', {}, ['files.example.com']),
  ];
});
afterAll(() => {
  sshd?.close();
  rmSync(remote, { recursive: true, force: true });
  rmSync(open, { recursive: true, force: true });
});

function run(params: Params, services: ActionServices = opened.services) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: sftpUploadAction.run(ctx) };
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('sftp_upload against OpenSSH', () => {
  it('writes text with the mode asked, renamed into place (no partial file left)', async () => {
    const path = join(remote, 'motd.txt');
    const { result, lines } = run({ credential_id: 'ssh', remote_path: path, content: 'maintenance at 22:00\n', mode: '0640' });
    expect(await result).toEqual({ remote_path: path, bytes: 21, sha256: sha('maintenance at 22:00\n') });
    expect(readFileSync(path, 'utf8')).toBe('maintenance at 22:00\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(remote).filter((f) => f.includes('partial'))).toEqual([]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('PRIVATE KEY');
    expect(logged).not.toContain('key-pass');
  });

  it('writes binary content from base64, and a local file from an open directory', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    await run({ credential_id: 'ssh', remote_path: join(remote, 'blob.bin'), content_base64: bytes.toString('base64') }).result;
    expect(readFileSync(join(remote, 'blob.bin'))).toEqual(bytes);
    writeFileSync(join(open, 'report.csv'), 'host,status\ndb-1,ok\n');
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'report.csv'), local_path: join(open, 'report.csv') }).result).resolves.toMatchObject({ bytes: 20 });
    expect(readFileSync(join(remote, 'report.csv'), 'utf8')).toBe('host,status\ndb-1,ok\n');
  });

  it('replaces a file by default, and refuses to with overwrite: false', async () => {
    const path = join(remote, 'config.ini');
    writeFileSync(path, 'old');
    await run({ credential_id: 'ssh', remote_path: path, content: 'new' }).result;
    expect(readFileSync(path, 'utf8')).toBe('new');
    await expect(run({ credential_id: 'ssh', remote_path: path, content: 'newer', overwrite: false }).result).rejects.toMatchObject({ code: 'sftp_exists', retryable: false });
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('creates parent directories only when asked', async () => {
    const path = join(remote, 'a', 'b', 'c.txt');
    await expect(run({ credential_id: 'ssh', remote_path: path, content: 'x' }).result).rejects.toMatchObject({ code: 'sftp_no_such_file', retryable: false });
    await run({ credential_id: 'ssh', remote_path: path, content: 'x', create_dirs: true }).result;
    expect(readFileSync(path, 'utf8')).toBe('x');
  });

  it('refuses a host key that is not pinned, naming the one seen, and a key the server does not authorize', async () => {
    await expect(run({ credential_id: 'unpinned', remote_path: join(remote, 'x'), content: 'x' }).result).rejects.toMatchObject({
      code: 'ssh_host_key_unknown', message: expect.stringContaining(sshd.hostFingerprint),
    });
    await expect(run({ credential_id: 'other-key', remote_path: join(remote, 'x'), content: 'x' }).result).rejects.toMatchObject({ code: 'ssh_auth_failed' });
    expect(existsSync(join(remote, 'x'))).toBe(false);
  });
});

describe('sftp_upload refusals', () => {
  it('refuses a remote path with a .. segment before connecting', async () => {
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'ssh', remote_path: `${remote}/../escape.txt`, content: 'x' }, services).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/remote_path' } });
    expect(refusals).toEqual([]);
  });

  it('reads local files only under ITW_SANDBOX_PATHS, never the data dir, following symlinks first', async () => {
    writeFileSync(join(opened.dataDir, 'encryption.key'), 'server-key-material');
    symlinkSync('/etc/hostname', join(open, 'sneaky-link'));
    for (const local of ['/etc/passwd', join(opened.dataDir, 'encryption.key'), join(open, 'sneaky-link'), 'relative/file']) {
      await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'leak'), local_path: local }).result).rejects.toMatchObject({ code: expect.stringMatching(/invalid_params|database_target_denied/) });
    }
    expect(existsSync(join(remote, 'leak'))).toBe(false);
    expect(opened.refusals.map((r) => r.code)).toContain('local_path_denied');
    const { services } = guardedServices();
    const closed = services.sandbox.policy.paths;
    expect(closed).toEqual([]);
    mkdirSync(join(open, 'sub'), { recursive: true });
    writeFileSync(join(open, 'sub', 'ok.txt'), 'ok');
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'ok'), local_path: join(open, 'sub', 'ok.txt') }, services).result).rejects.toMatchObject({
      details: { path: '/local_path' }, message: expect.stringContaining('ITW_SANDBOX_PATHS'),
    });
  });

  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'x'), content: 'x' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(refusals).toMatchObject([{ code: 'egress_denied', protocol: 'ssh' }]);
    await expect(run({ credential_id: 'bound-elsewhere', remote_path: join(remote, 'x'), content: 'x' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it('needs exactly one source', async () => {
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'x') }).result).rejects.toMatchObject({ details: { path: '/content' } });
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'x'), content: 'a', content_base64: 'YQ==' }).result).rejects.toMatchObject({ details: { path: '/content' } });
  });

  it.each([
    [{ remote_path: '' }, '/remote_path'],
    [{ mode: '999' }, '/mode'],
    [{ content_base64: 'not base64!' }, '/content_base64'],
    [{ timeout_seconds: 0 }, '/timeout_seconds'],
    [{ path: '/x' }, '/path'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(sftpUploadAction.params, { credential_id: 'ssh', remote_path: '/tmp/x', content: 'x', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans without connecting', () => {
    expect(sftpUploadAction.plan?.(testContext({ credential_id: 'ssh', remote_path: '/etc/motd', content: 'hello', overwrite: false }).ctx)).toBe(
      'upload 5 bytes of text to /etc/motd over SFTP with credential ssh (no overwrite)',
    );
  });
});
