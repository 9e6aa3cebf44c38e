import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../../../test/support/sshd.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { diskUsageAction } from './disk-usage-action.js';
import { parseDf } from './disk-space.js';

type Params = Parameters<typeof diskUsageAction.run>[0]['params'];

// A real OpenSSH server on loopback (test/support/sshd.ts), its host key pinned in the credential.
let sshd: Sshd;
let creds: ResolvedCredential[];

beforeAll(async () => {
  sshd = await startSshd();
  const data = { host: '127.0.0.1', port: String(sshd.port), username: userInfo().username, private_key: sshd.clientKey, passphrase: 'key-pass', host_key_fingerprint: sshd.hostFingerprint };
  creds = [{ id: 'box', type: 'ssh_key', data }];
});

afterAll(() => sshd?.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: diskUsageAction.run(ctx) };
}

/** What df itself says about the file system of `path` on this machine. */
function dfLine(path: string) {
  return parseDf(execFileSync('df', ['-P', '-k', '--', path], { encoding: 'utf8', env: { LC_ALL: 'C', PATH: process.env['PATH'] ?? '' } }), [path])[0]!;
}

describe('disk_usage on this host (statfs)', () => {
  it('reports / with the numbers df shows, mount and file system included', async () => {
    const out = await run({}).result;
    const fs = statfsSync('/');
    const root = out.mounts[0]!;
    expect(out).toMatchObject({ ok: true, host: 'local', breached: [] });
    expect(root).toMatchObject({ path: '/', mount: '/', size: fs.blocks * fs.bsize });
    const df = dfLine('/');
    expect(root.filesystem).toBe(df.filesystem);
    expect(Math.abs(root.use_pct - df.use_pct)).toBeLessThanOrEqual(1);
    expect(Value.Check(diskUsageAction.output, out)).toBe(true);
  });

  it('finds the mount point holding a path, and flags a file system above threshold_pct', async () => {
    const out = await run({ paths: ['/proc/self', '/'], threshold_pct: 0 }).result;
    expect(out.mounts.map((m) => [m.path, m.mount])).toEqual([['/proc/self', '/proc'], ['/', '/']]);
    const used = out.mounts.filter((m) => m.use_pct > 0).map((m) => m.mount);
    expect(out.breached).toEqual(used);
    expect(out.ok).toBe(used.length === 0);
    expect(await run({ threshold_pct: 100 }).result).toMatchObject({ ok: true, breached: [] });
  });

  it('names the path it cannot stat', async () => {
    await expect(run({ paths: ['/', '/no/such/dir'] }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/paths/1' } });
  });
});

describe('disk_usage over SSH (real sshd on loopback, df -P -k)', () => {
  it('lists every file system when no path is given', async () => {
    const out = await run({ ssh_credential_id: 'box' }).result;
    expect(out.host).toBe('127.0.0.1');
    expect(out.mounts.map((m) => m.mount)).toContain('/');
    expect(Value.Check(diskUsageAction.output, out)).toBe(true);
  });

  it('reports the paths asked for, as df on the host does, and breaches above threshold_pct', async () => {
    const out = await run({ ssh_credential_id: 'box', paths: ['/', '/tmp'], threshold_pct: 0 }).result;
    const [root, tmp] = out.mounts;
    // Other processes write meanwhile: used and avail may move, the file system and its size do not.
    const df = dfLine('/');
    expect(root).toMatchObject({ path: '/', mount: '/', filesystem: df.filesystem, size: df.size });
    expect(Math.abs(root!.use_pct - df.use_pct)).toBeLessThanOrEqual(1);
    expect(tmp).toMatchObject({ path: '/tmp', mount: dfLine('/tmp').mount });
    expect(out.breached).toContain('/');
    expect(out.ok).toBe(false);
  });

  it('fails with what df said for a missing path, and keeps a hostile path an argument', async () => {
    await expect(run({ ssh_credential_id: 'box', paths: ['/no/such/dir'] }).result).rejects.toMatchObject({ code: 'command_failed', message: expect.stringMatching(/\/no\/such\/dir.*No such file/) });
    const hostile = run({ ssh_credential_id: 'box', paths: ["/tmp'; touch /tmp/itw-pwned; echo '"] }).result;
    await expect(hostile).rejects.toMatchObject({ code: 'command_failed' });
    expect(() => statfsSync('/tmp/itw-pwned')).toThrow();
  });
});

describe('disk_usage attackers', () => {
  it('is refused by the egress guard for an SSH host on an internal address', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ ssh_credential_id: 'box' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it('never puts the private key or passphrase in its output or log', async () => {
    const { result, lines } = run({ ssh_credential_id: 'box', paths: ['/'] });
    const text = JSON.stringify([await result, lines]);
    expect(text).not.toContain('key-pass');
    expect(text).not.toContain(sshd.clientKey.split('\n')[1]!);
  });

  it.each([
    [{ paths: ['relative/path'] }, '/paths/0'],
    [{ paths: ['-h'] }, '/paths/0'],
    [{ paths: [] }, '/paths'],
    [{ threshold_pct: 101 }, '/threshold_pct'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(diskUsageAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it('plans without connecting', () => {
    expect(diskUsageAction.plan?.(testContext({ ssh_credential_id: 'box', threshold_pct: 90 }).ctx)).toBe('report disk usage of every file system on the host of SSH credential box, over 90% is a breach');
  });
});
