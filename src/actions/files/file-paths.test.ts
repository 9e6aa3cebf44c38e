import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stepSandbox } from '../process/sandbox-policy.js';
import { checkLocalPath, checkRemotePath } from './file-paths.js';

describe('checkRemotePath', () => {
  it.each(['/var/log/app.log', 'uploads/report.csv', './x', '/srv/..hidden/x', '/srv/a..b'])('takes %j as it is', (path) => {
    expect(checkRemotePath('sftp_upload', path)).toBe(path);
  });

  it.each(['../etc/passwd', '/srv/app/../../etc/shadow', '..', 'a/..', 'x\u0000y', '/srv/dir/'])('refuses %j naming /remote_path', (path) => {
    expect(() => checkRemotePath('sftp_upload', path)).toThrow(expect.objectContaining({ code: 'invalid_params', details: { path: '/remote_path' } }));
  });
});

describe('checkLocalPath', () => {
  const open = mkdtempSync(join(tmpdir(), 'itw-paths-'));
  mkdirSync(join(open, 'data'));
  symlinkSync('/etc', join(open, 'etc-link'));
  const refusals: string[] = [];
  const sandbox = stepSandbox({ paths: [open], dataDir: join(open, 'data') }, { egressGuarded: true, onRefusal: (r) => refusals.push(r.code) });
  afterAll(() => rmSync(open, { recursive: true, force: true }));

  it('takes a file (existing or not) under an open directory', () => {
    expect(checkLocalPath('sftp_download', sandbox, join(open, 'new', 'file.txt'))).toBe(join(open, 'new', 'file.txt'));
  });

  it.each([
    ['outside', '/etc/passwd'],
    ['the open directory itself', '.'],
    ['a way out with ..', '../escape'],
    ['a symlink out', 'etc-link/passwd'],
  ])('refuses %s', (_what, rel) => {
    const path = rel.startsWith('/') ? rel : join(open, rel);
    expect(() => checkLocalPath('sftp_download', sandbox, path)).toThrow(expect.objectContaining({ code: 'invalid_params', details: { path: '/local_path' } }));
    expect(refusals.at(-1)).toBe('local_path_denied');
  });

  it('refuses the data dir inside an open directory, and relative paths', () => {
    expect(() => checkLocalPath('sftp_download', sandbox, join(open, 'data', 'itw.db'))).toThrow(expect.objectContaining({ code: 'database_target_denied' }));
    expect(() => checkLocalPath('sftp_download', sandbox, 'relative.txt')).toThrow(expect.objectContaining({ details: { path: '/local_path' } }));
  });
});
