import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-user-slack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function itw(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, env: {}, readSecret: () => Promise.resolve('correct horse battery') };
  return { code: await runCli(argv, io), out: out.join('\n'), err: err.join('\n') };
}

describe('itw user create --slack-user-id', () => {
  it('maps the Slack member at creation, refuses a malformed id and a second user for one Slack member', async () => {
    const made = await itw('user', 'create', '--username', 'alice', '--role', 'operator', '--slack-user-id', 'U024BE7LH', '--data-dir', dir);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toContain(', Slack U024BE7LH)');
    expect((await itw('user', 'list', '--data-dir', dir)).out).toMatch(/operator {2}alice {2}slack:U024BE7LH/);
    const bad = await itw('user', 'create', '--username', 'bob', '--role', 'operator', '--slack-user-id', '<@U1>', '--data-dir', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--slack-user-id must be a Slack member id');
    const twin = await itw('user', 'create', '--username', 'carol', '--role', 'viewer', '--slack-user-id', 'U024BE7LH', '--data-dir', dir);
    expect(twin.code).toBe(1);
    expect(twin.err).toContain('Slack user U024BE7LH is already mapped to another user');
  });

  it('refuses a username the API would refuse (markup, spaces), creating nothing', async () => {
    const before = (await itw('user', 'list', '--data-dir', dir)).out;
    for (const name of ['x<img src=y onerror=alert(1)>', 'two words', 'a'.repeat(201)]) {
      const r = await itw('user', 'create', '--username', name, '--role', 'viewer', '--data-dir', dir);
      expect(r.code, name).toBe(2);
      expect(r.err).toMatch(/--username (may hold only letters, digits and \. _ @ -|must have 1 to 200 characters)/);
    }
    expect((await itw('user', 'list', '--data-dir', dir)).out).toBe(before);
  });

  it('set-role and set-password change an existing user; the last admin stays admin; an unknown user is exit 1', async () => {
    expect((await itw('user', 'create', '--username', 'dora', '--role', 'viewer', '--data-dir', dir)).code).toBe(0);
    const promoted = await itw('user', 'set-role', '--username', 'dora', '--role', 'editor', '--data-dir', dir);
    expect(promoted.code, promoted.err).toBe(0);
    expect(promoted.out).toBe('dora is now editor');
    expect((await itw('user', 'list', '--data-dir', dir)).out).toMatch(/editor +dora/);
    const reset = await itw('user', 'set-password', '--username', 'dora', '--data-dir', dir);
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toContain('their sessions are ended');
    expect((await itw('user', 'create', '--username', 'boss', '--role', 'admin', '--data-dir', dir)).code).toBe(0);
    const last = await itw('user', 'set-role', '--username', 'boss', '--role', 'viewer', '--data-dir', dir);
    expect(last.code).toBe(1);
    expect(last.err).toContain('last admin');
    expect((await itw('user', 'set-role', '--username', 'nobody', '--role', 'viewer', '--data-dir', dir)).code).toBe(1);
    expect((await itw('user', 'set-role', '--username', 'dora', '--role', 'root', '--data-dir', dir)).code).toBe(2);
  });
});
