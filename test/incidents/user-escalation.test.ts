// Issue 12 item 8: the app never gave ActionNotifier a way to reach a user or a default credential,
// so every `user` escalation target failed with no_contact. Now a user whose username is an e-mail
// address is paged there, through the target's SMTP credential or ITW_ESCALATION_SMTP_CREDENTIAL.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';

const SQLITE = DIALECTS[0]!;

describe('escalation to a user target (through the app)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-user-escalation-'));
  const mails: Array<{ to: string; subject: string }> = [];
  let smtp: SMTPServer;
  let h: Harness;
  let smtpCredential = '';

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        void simpleParser(stream).then((m) => {
          mails.push({ to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '', subject: m.subject ?? '' });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    // The default credential is named in config, so it must exist before the app that uses it starts.
    const first = await openHarness(SQLITE, { dataDir });
    const cred = await first.app.vault.create({ name: 'pager-smtp', type: 'smtp', data: { host: '127.0.0.1', port: String(port), secure: 'false', ignore_tls: 'true', from: 'itw@example.com' } });
    smtpCredential = cred.id;
    await first.app.repos.users.create({ username: 'dana@example.com', password: 'correct horse battery', role: 'operator' });
    await first.app.repos.users.create({ username: 'lee', password: 'correct horse battery', role: 'operator' });
    await first.close();
    h = await openHarness(SQLITE, { dataDir, config: { escalationSmtpCredential: cred.id } });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function mailTo(address: string): Promise<{ to: string; subject: string }> {
    for (let i = 0; i < 500; i++) {
      const found = mails.find((m) => m.to === address);
      if (found) return found;
      h.clock.advance(1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no mail to ${address}; got ${JSON.stringify(mails)}`);
  }

  it('pages a user by e-mail through the default SMTP credential, found by username or id', async () => {
    const dana = (await h.app.repos.users.list()).find((u) => u.username === 'dana@example.com')!;
    const policy = await h.app.incidents.policies.create({ name: 'page dana', levels: [{ delay_minutes: 1, targets: [{ type: 'user', value: dana.id }] }], repeat: 0 });
    const { incident } = await h.app.incidents.createIncident({ title: 'Checkout down', severity: 'critical', escalation_policy_id: policy.id });
    const mail = await mailTo('dana@example.com');
    expect(mail.subject).toContain(incident.key);
  });

  it('uses the credential the target names, and does not page a user whose username is no address', async () => {
    const policy = await h.app.incidents.policies.create({
      name: 'page by name',
      levels: [{ delay_minutes: 1, targets: [{ type: 'user', value: 'lee' }, { type: 'user', value: 'dana@example.com', credential_id: smtpCredential }] }],
      repeat: 0,
    });
    const before = mails.length;
    const { incident } = await h.app.incidents.createIncident({ title: 'Search slow', severity: 'warning', escalation_policy_id: policy.id });
    for (let i = 0; i < 500 && !mails.slice(before).some((m) => m.subject.includes(incident.key)); i++) {
      h.clock.advance(1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    const sent = mails.slice(before).filter((m) => m.subject.includes(incident.key));
    expect(sent.map((m) => m.to)).toEqual(['dana@example.com']);
  });
});
