import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { sftpDownloadAction } from './sftp-download-action.js';
import { sftpUploadAction } from './sftp-upload-action.js';

type Params = Parameters<typeof sftpDownloadAction.run>[0]['params'];

let sshd: Sshd;
let creds: ResolvedCredential[];
let remote: string;
let open: string;
let opened: ReturnType<typeof servicesWithOpenDir>;
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0x10]);

beforeAll(async () => {
  sshd = await startSshd();
  remote = mkdtempSync(join(tmpdir(), 'itw-sftp-remote-'));
  open = mkdtempSync(join(tmpdir(), 'itw-sftp-open-'));
  opened = servicesWithOpenDir(open);
  creds = [sshCredential(sshd), sshCredential(sshd, 'unpinned', { host_key_fingerprint: '' }), sshCredential(sshd, 'bound-elsewhere', {}, ['files.example.com'])];
  writeFileSync(join(remote, 'app.log'), 'line 1\nerror: disk full ✗\n');
  writeFileSync(join(remote, 'logo.png'), BINARY);
  writeFileSync(join(remote, 'big.txt'), 'x'.repeat(2048));
  mkdirSync(join(remote, 'dir'));
});
afterAll(() => {
  sshd?.close();
  rmSync(remote, { recursive: true, force: true });
  rmSync(open, { recursive: true, force: true });
});

function run(params: Params, services: ActionServices = opened.services) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: sftpDownloadAction.run(ctx) };
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('sftp_download against OpenSSH', () => {
  it('reads a text file into the output as UTF-8', async () => {
    const path = join(remote, 'app.log');
    const text = 'line 1\nerror: disk full ✗\n';
    const { result, lines } = run({ credential_id: 'ssh', remote_path: path });
    expect(await result).toEqual({ remote_path: path, bytes: Buffer.byteLength(text), sha256: sha(text), encoding: 'utf8', content: text });
    expect(JSON.stringify(lines)).not.toContain('PRIVATE KEY');
  });

  it('reads a binary file as base64, which sftp_upload writes back byte for byte', async () => {
    const out = await run({ credential_id: 'ssh', remote_path: join(remote, 'logo.png') }).result;
    expect(out).toMatchObject({ encoding: 'base64', content: BINARY.toString('base64'), bytes: BINARY.length });
    const { ctx } = testContext({ credential_id: 'ssh', remote_path: join(remote, 'copy.png'), content_base64: out.content! }, creds, opened.services);
    await sftpUploadAction.run(ctx);
    expect(readFileSync(join(remote, 'copy.png'))).toEqual(BINARY);
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'app.log'), encoding: 'base64' }).result).resolves.toMatchObject({ encoding: 'base64' });
  });

  it('refuses a file over max_bytes, and caps the output at 10 MiB whatever max_bytes says', async () => {
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'big.txt'), max_bytes: 1024 }).result).rejects.toMatchObject({
      code: 'sftp_too_large', retryable: false, details: { max_bytes: 1024 },
    });
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'big.txt'), max_bytes: 2048 }).result).resolves.toMatchObject({ bytes: 2048 });
    writeFileSync(join(remote, 'huge.bin'), Buffer.alloc(10 * 1024 * 1024 + 1));
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'huge.bin'), max_bytes: 50 * 1024 * 1024 }).result).rejects.toMatchObject({ code: 'sftp_too_large' });
  });

  it('saves to a local file under an open directory (0600, no partial left)', async () => {
    const local = join(open, 'logs', 'app.log');
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'app.log'), local_path: local }).result).resolves.toMatchObject({ local_path: local, bytes: 28 });
    expect(readFileSync(local, 'utf8')).toBe('line 1\nerror: disk full ✗\n');
    expect(statSync(local).mode & 0o777).toBe(0o600);
  });

  it('names a missing file and a directory clearly', async () => {
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'nope.txt') }).result).rejects.toMatchObject({ code: 'sftp_no_such_file', retryable: false });
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'dir') }).result).rejects.toMatchObject({ code: 'sftp_not_a_file' });
  });
});

describe('sftp_download refusals', () => {
  it('refuses a .. segment, and local files outside ITW_SANDBOX_PATHS or in the data dir', async () => {
    await expect(run({ credential_id: 'ssh', remote_path: '../../etc/shadow' }).result).rejects.toMatchObject({ details: { path: '/remote_path' } });
    for (const local of ['/root/.ssh/authorized_keys', join(opened.dataDir, 'itw.db'), join(open, '..', 'outside.txt')]) {
      await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'app.log'), local_path: local }).result).rejects.toMatchObject({ code: expect.stringMatching(/invalid_params|database_target_denied/) });
      expect(existsSync(local) && readFileSync(local, 'utf8').includes('disk full')).toBe(false);
    }
  });

  it('refuses an unpinned host key, loopback under a blocking egress policy, and a credential bound elsewhere', async () => {
    await expect(run({ credential_id: 'unpinned', remote_path: join(remote, 'app.log') }).result).rejects.toMatchObject({ code: 'ssh_host_key_unknown' });
    const { services } = guardedServices();
    await expect(run({ credential_id: 'ssh', remote_path: join(remote, 'app.log') }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ credential_id: 'bound-elsewhere', remote_path: join(remote, 'app.log') }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ encoding: 'hex' }, '/encoding'],
    [{ max_bytes: 0 }, '/max_bytes'],
    [{ remote_path: '' }, '/remote_path'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(sftpDownloadAction.params, { credential_id: 'ssh', remote_path: '/x', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans where the file goes', () => {
    expect(sftpDownloadAction.plan?.(testContext({ credential_id: 'ssh', remote_path: '/var/log/app.log' }).ctx)).toBe('download /var/log/app.log over SFTP with credential ssh into the step output');
  });
});
