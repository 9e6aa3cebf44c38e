import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadApprovalLinkSecret } from './link-secret.js';
import { ApprovalLinks } from './link-signer.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('approval links', () => {
  let now = 1_700_000_000_000;
  const links = new ApprovalLinks(Buffer.alloc(32, 7), () => now);
  const claims = { run_id: 'nexec_1', decision: 'approve', expires_at: now + 60_000, by: 'alice', holder: { kind: 'session', id: 'usr_1' } } as const;

  it('verifies what it signed, until it expires', () => {
    const token = links.sign(claims);
    expect(links.verify(token)).toEqual(claims);
    now += 60_000;
    expect(() => links.verify(token)).toThrow(/expired/);
    now -= 60_000;
  });

  it('refuses a token signed with another key, or with changed claims', () => {
    const other = new ApprovalLinks(Buffer.alloc(32, 8), () => now).sign(claims);
    expect(() => links.verify(other)).toThrow(/not valid/);
    const [, mac] = links.sign(claims).split('.');
    const changed = Buffer.from(JSON.stringify({ r: 'nexec_1', d: 'reject', e: Math.floor(claims.expires_at / 1000), b: 'alice' })).toString('base64url');
    expect(() => links.verify(`${changed}.${mac}`)).toThrow(/not valid/);
    expect(() => links.verify('no-dot')).toThrow(/malformed/);
  });

  it('keeps its key in ITW_APPROVAL_LINK_SECRET or a file it creates once', () => {
    expect(() => loadApprovalLinkSecret({ fromEnv: 'short', dataDir: dir })).toThrow(/at least 32/);
    expect(loadApprovalLinkSecret({ fromEnv: 'x'.repeat(40), dataDir: dir }).toString()).toBe('x'.repeat(40));
    const first = loadApprovalLinkSecret({ fromEnv: undefined, dataDir: dir });
    expect(loadApprovalLinkSecret({ fromEnv: undefined, dataDir: dir })).toEqual(first);
    expect(first.length).toBe(32);
  });
});
